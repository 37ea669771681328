import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `users.token_version`: an access token carries the version its account had when it was signed,
 * and the api accepts it only while the account is active and still at that version
 * (docs/decisions/0035-token-revocation.md). The trigger moves the version whenever what a token
 * stands for changes (disabled or enabled, role, home unit, password), by whatever path the row
 * is changed, so no caller can forget to revoke.
 */
export class AccountTokenVersion1733700000000 implements MigrationInterface {
  name = 'AccountTokenVersion1733700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 1`);
    await q.query(`
      CREATE FUNCTION users_revoke_tokens() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.active IS DISTINCT FROM OLD.active OR NEW.role IS DISTINCT FROM OLD.role
           OR NEW.unit_code IS DISTINCT FROM OLD.unit_code OR NEW.password_hash IS DISTINCT FROM OLD.password_hash THEN
          NEW.token_version := OLD.token_version + 1;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER users_revoke_tokens BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_revoke_tokens()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER users_revoke_tokens ON users`);
    await q.query(`DROP FUNCTION users_revoke_tokens()`);
    await q.query(`ALTER TABLE users DROP COLUMN token_version`);
  }
}
