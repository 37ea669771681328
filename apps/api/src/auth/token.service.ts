import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { APP_CONFIG, AppConfig } from '@frontline/config';
import { ROLES, Role } from '@frontline/contracts';

/** Who is calling, as carried by the access token (REST header or socket handshake). */
export interface Principal {
  userId: string;
  username: string;
  role: Role;
  /** Home unit: the root of the caller's jurisdiction. */
  unitCode: string;
}

/** A token that verified: who it is for, the account's token version it was signed at, and when it expires. */
export interface Credential {
  principal: Principal;
  version: number;
  /** Epoch milliseconds. */
  expiresAt: number;
}

interface Claims {
  sub: string;
  usr: string;
  role: Role;
  unit: string;
  /** The account's token version at signing (docs/decisions/0035-token-revocation.md). */
  ver: number;
  exp: number;
}

@Injectable()
export class TokenService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  sign(p: Principal, version: number): string {
    const claims: Omit<Claims, 'exp'> = {
      sub: p.userId,
      usr: p.username,
      role: p.role,
      unit: p.unitCode,
      ver: version,
    };
    return jwt.sign(claims, this.config.JWT_SECRET, {
      algorithm: 'HS256',
      expiresIn: this.config.JWT_TTL_SECONDS,
      issuer: 'frontline',
    });
  }

  /**
   * The credential of a well-signed, unexpired token, or null for a missing, forged, expired or
   * malformed one. Whether its account still stands is AccountStatus's question.
   */
  verify(token: unknown): Credential | null {
    if (typeof token !== 'string' || !token) return null;
    try {
      const c = jwt.verify(token, this.config.JWT_SECRET, {
        algorithms: ['HS256'],
        issuer: 'frontline',
      }) as Claims;
      if (!c.sub || !c.usr || !c.unit || !ROLES.includes(c.role) || !Number.isInteger(c.ver))
        return null;
      return {
        principal: { userId: c.sub, username: c.usr, role: c.role, unitCode: c.unit },
        version: c.ver,
        expiresAt: c.exp * 1000,
      };
    } catch {
      return null;
    }
  }
}
