import type { Principal } from '../auth/token.service';

export const actorOf = (caller: Principal): string => `user:${caller.userId}`;
