import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CalendarFeedResponse } from '@frontline/contracts';

/** A feed as stored; the token itself is never stored, only its hash. */
export interface Feed {
  id: string;
  kind: 'center' | 'person';
  centerId: string;
  staffId: string | null;
  label: string | null;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
}

interface FeedRow {
  id: string;
  kind: 'center' | 'person';
  center_id: string;
  staff_id: string | null;
  label: string | null;
  created_by: string;
  created_at: Date;
  revoked_at: Date | null;
}

export interface NewFeed {
  tokenHash: string;
  kind: 'center' | 'person';
  centerId: string;
  staffId: string | null;
  label: string | null;
  createdBy: string;
}

const FEED_COLUMNS = `id, kind, center_id, staff_id, label, created_by, created_at, revoked_at`;

/** Calendar feeds (`calendar_feeds`) and the duty staff a person feed is made for. */
@Injectable()
export class CalendarRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(feed: NewFeed): Promise<Feed> {
    const [row] = (await this.dataSource.query(
      `INSERT INTO calendar_feeds (token_hash, kind, center_id, staff_id, label, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${FEED_COLUMNS}`,
      [feed.tokenHash, feed.kind, feed.centerId, feed.staffId, feed.label, feed.createdBy],
    )) as FeedRow[];
    return feedFromRow(row);
  }

  async find(id: string): Promise<Feed | undefined> {
    const rows = (await this.dataSource.query(`SELECT ${FEED_COLUMNS} FROM calendar_feeds WHERE id = $1`, [id])) as FeedRow[];
    return rows[0] && feedFromRow(rows[0]);
  }

  async findByTokenHash(tokenHash: string): Promise<Feed | undefined> {
    const rows = (await this.dataSource.query(`SELECT ${FEED_COLUMNS} FROM calendar_feeds WHERE token_hash = $1`, [
      tokenHash,
    ])) as FeedRow[];
    return rows[0] && feedFromRow(rows[0]);
  }

  /** A center's feeds, oldest first: all of them, or only those one account created. */
  async listOfCenter(centerId: string, all: boolean, createdBy: string): Promise<Feed[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${FEED_COLUMNS} FROM calendar_feeds WHERE center_id = $1 AND ($2 OR created_by = $3)
       ORDER BY created_at, id`,
      [centerId, all, createdBy],
    )) as FeedRow[];
    return rows.map(feedFromRow);
  }

  /** Revoked once: a second revoke keeps the first time and author. */
  async revoke(id: string, by: string): Promise<Feed> {
    const [row] = (await this.dataSource.query(
      // (A CTE: TypeORM answers a bare UPDATE with [rows, count].)
      `WITH revoked AS (UPDATE calendar_feeds SET revoked_at = COALESCE(revoked_at, now()), revoked_by = COALESCE(revoked_by, $2)
       WHERE id = $1 RETURNING ${FEED_COLUMNS}) SELECT * FROM revoked`,
      [id, by],
    )) as FeedRow[];
    return feedFromRow(row);
  }

  /** The center of a person of the duty staff and the account linked to them. */
  async staff(staffId: string): Promise<{ centerId: string; userId: string | null } | undefined> {
    const rows = (await this.dataSource.query(`SELECT center_id, user_id FROM duty_staff WHERE id = $1`, [staffId])) as {
      center_id: string;
      user_id: string | null;
    }[];
    return rows[0] && { centerId: rows[0].center_id, userId: rows[0].user_id };
  }
}

function feedFromRow(r: FeedRow): Feed {
  return {
    id: r.id,
    kind: r.kind,
    centerId: r.center_id,
    staffId: r.staff_id,
    label: r.label,
    createdBy: r.created_by,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  };
}

export function feedResponse(feed: Feed, url?: string): CalendarFeedResponse {
  return {
    id: feed.id,
    kind: feed.kind,
    centerId: feed.centerId,
    staffId: feed.staffId,
    label: feed.label,
    createdAt: feed.createdAt.toISOString(),
    createdBy: feed.createdBy,
    revokedAt: feed.revokedAt ? feed.revokedAt.toISOString() : null,
    ...(url ? { url } : {}),
  };
}
