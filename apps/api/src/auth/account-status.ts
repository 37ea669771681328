import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { UserEntity } from '@frontline/database';
import type { Credential } from './token.service';

/**
 * Whether a signed token still stands for its account (docs/decisions/0035-token-revocation.md):
 * the account is active and at the token version the token carries. Read from PostgreSQL on
 * every request, by primary key; the version moves (a trigger) whenever the account is disabled,
 * its role, unit or password change, so an old token stops at its next request.
 */
@Injectable()
export class AccountStatus {
  constructor(private readonly dataSource: DataSource) {}

  async current(credential: Credential): Promise<boolean> {
    return (await this.revoked([credential])).length === 0;
  }

  /** The credentials whose account is disabled, gone or at another token version (one query for all). */
  async revoked<C extends Credential>(credentials: readonly C[]): Promise<C[]> {
    if (!credentials.length) return [];
    const ids = [...new Set(credentials.map((c) => c.principal.userId))];
    const accounts = await this.dataSource.getRepository(UserEntity).find({
      select: { id: true, tokenVersion: true },
      where: { id: In(ids), active: true },
    });
    const versions = new Map(accounts.map((a) => [a.id, a.tokenVersion]));
    return credentials.filter((c) => versions.get(c.principal.userId) !== c.version);
  }
}
