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

interface Claims {
  sub: string;
  usr: string;
  role: Role;
  unit: string;
}

@Injectable()
export class TokenService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  sign(p: Principal): string {
    const claims: Claims = { sub: p.userId, usr: p.username, role: p.role, unit: p.unitCode };
    return jwt.sign(claims, this.config.JWT_SECRET, {
      algorithm: 'HS256',
      expiresIn: this.config.JWT_TTL_SECONDS,
      issuer: 'frontline',
    });
  }

  /** Returns the principal, or null for a missing, forged, expired or malformed token. */
  verify(token: unknown): Principal | null {
    if (typeof token !== 'string' || !token) return null;
    try {
      const c = jwt.verify(token, this.config.JWT_SECRET, { algorithms: ['HS256'], issuer: 'frontline' }) as Claims;
      if (!c.sub || !c.usr || !c.unit || !ROLES.includes(c.role)) return null;
      return { userId: c.sub, username: c.usr, role: c.role, unitCode: c.unit };
    } catch {
      return null;
    }
  }
}
