import { Inject, OnApplicationShutdown } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import { allows, LIVE_NAMESPACE } from '@frontline/contracts';
import { LOGGER } from '@frontline/spine';
import type { Logger } from '@frontline/logger';
import { AccountStatus } from '../auth/account-status';
import { Credential, TokenService } from '../auth/token.service';
import { LiveService } from './live.service';

/** setTimeout holds at most about 24.8 days; a longer token is re-armed by the account check anyway. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Socket.IO namespace /live: the token, its account and the policy table (`live.subscribe`) are
 * checked in the handshake, before any event flows. A socket lives no longer than its token: it
 * is closed when the token expires, and when its account is disabled or its role, unit or
 * password change (checked every LIVE_ACCOUNT_CHECK_MS for all of this instance's sockets at once;
 * docs/decisions/0035-token-revocation.md).
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE, serveClient: false })
export class LiveGateway implements OnGatewayInit, OnGatewayConnection, OnApplicationShutdown {
  private namespace?: Namespace;
  private accountCheck?: NodeJS.Timeout;
  private checking = false;

  constructor(
    private readonly tokens: TokenService,
    private readonly accounts: AccountStatus,
    private readonly live: LiveService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async afterInit(namespace: Namespace): Promise<void> {
    this.namespace = namespace;
    namespace.use((socket, next) => {
      const credential = this.tokens.verify((socket.handshake.auth as { token?: unknown } | undefined)?.token);
      if (!credential) return next(new Error('unauthorized'));
      if (!allows(credential.principal.role, 'live.subscribe')) return next(new Error('forbidden'));
      this.accounts.current(credential).then(
        (current) => {
          if (!current) return next(new Error('unauthorized'));
          socket.data.principal = credential.principal;
          socket.data.credential = credential;
          next();
        },
        () => next(new Error('unavailable')),
      );
    });
    this.accountCheck = setInterval(() => void this.closeRevoked(), this.config.LIVE_ACCOUNT_CHECK_MS);
    this.accountCheck.unref();
    await this.live.bind(namespace);
  }

  async handleConnection(socket: Socket): Promise<void> {
    const { expiresAt } = socket.data.credential as Credential;
    const expiry = setTimeout(() => this.close(socket, 'token expired'), Math.min(Math.max(expiresAt - Date.now(), 0), MAX_TIMER_MS));
    expiry.unref();
    socket.once('disconnect', () => clearTimeout(expiry));
    await this.live.attach(socket).catch(() => socket.disconnect(true));
  }

  onApplicationShutdown(): void {
    clearInterval(this.accountCheck);
  }

  /** Closes the sockets whose token expired or whose account no longer stands behind it. */
  private async closeRevoked(): Promise<void> {
    if (this.checking || !this.namespace) return;
    this.checking = true;
    try {
      const sockets = [...this.namespace.sockets.values()].map((socket) => ({ socket, ...(socket.data.credential as Credential) }));
      const now = Date.now();
      for (const s of sockets) if (s.expiresAt <= now) this.close(s.socket, 'token expired');
      for (const s of await this.accounts.revoked(sockets.filter((s) => s.socket.connected))) this.close(s.socket, 'account changed');
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'live account check failed; retrying at the next tick');
    } finally {
      this.checking = false;
    }
  }

  private close(socket: Socket, reason: 'token expired' | 'account changed'): void {
    if (socket.disconnected) return;
    const principal = (socket.data.credential as Credential).principal;
    this.logger.info({ user: principal.userId, reason }, 'live socket closed');
    socket.disconnect(true);
  }
}
