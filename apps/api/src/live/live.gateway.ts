import { OnGatewayConnection, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { allows, LIVE_NAMESPACE } from '@frontline/contracts';
import { TokenService } from '../auth/token.service';
import { LiveService } from './live.service';

/**
 * Socket.IO namespace /live: the token and the policy table (`live.subscribe`) are checked in
 * the handshake, before any event flows.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE, serveClient: false })
export class LiveGateway implements OnGatewayInit, OnGatewayConnection {
  constructor(
    private readonly tokens: TokenService,
    private readonly live: LiveService,
  ) {}

  async afterInit(namespace: Namespace): Promise<void> {
    namespace.use((socket, next) => {
      const principal = this.tokens.verify((socket.handshake.auth as { token?: unknown } | undefined)?.token);
      if (!principal) return next(new Error('unauthorized'));
      if (!allows(principal.role, 'live.subscribe')) return next(new Error('forbidden'));
      socket.data.principal = principal;
      next();
    });
    await this.live.bind(namespace);
  }

  async handleConnection(socket: Socket): Promise<void> {
    await this.live.attach(socket).catch(() => socket.disconnect(true));
  }
}
