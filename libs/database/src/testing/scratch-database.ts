import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

const BASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/frontline';

/** The URL of another database on the same server as DATABASE_URL (default: the local one). */
export function databaseUrl(database: string): string {
  const url = new URL(BASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * A throw-away database for a spec that needs real PostgreSQL: a random name under `prefix`,
 * created before the tests and dropped after, so specs can run side by side on one server.
 */
export class ScratchDatabase {
  readonly name: string;
  readonly url: string;
  private admin?: Client;

  constructor(prefix: string) {
    this.name = `${prefix}_${randomBytes(4).toString('hex')}`;
    this.url = databaseUrl(this.name);
  }

  async create(): Promise<string> {
    this.admin = new Client({ connectionString: databaseUrl('postgres') });
    await this.admin.connect();
    await this.admin.query(`CREATE DATABASE ${this.name}`);
    return this.url;
  }

  async drop(): Promise<void> {
    if (!this.admin) return;
    await this.admin.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`);
    await this.admin.end();
    this.admin = undefined;
  }
}
