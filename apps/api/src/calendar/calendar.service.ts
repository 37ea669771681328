import {
  BadRequestException,
  ForbiddenException,
  GoneException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { CalendarFeedRequest, CalendarFeedResponse, Role } from '@frontline/contracts';
import { timeZone } from '@frontline/time';
import { DAY_MS, expandShifts, IcalEvent, serializeCalendar, Shift, utcStamp } from '@frontline/roster';
import { loadRoster, LoadedRoster, positionKey } from '@frontline/roster-ops';
import type { Principal } from '../auth/token.service';
import { centerInJurisdiction } from '../roster/roster-access';

/** The feed covers the shifts overlapping [now - 7 days, now + 60 days). */
export const FEED_PAST_MS = 7 * DAY_MS;
export const FEED_AHEAD_MS = 60 * DAY_MS;
/** Who manages the feeds of a center (within their jurisdiction). */
const FEED_MANAGERS: readonly Role[] = ['commander', 'admin'];
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

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

const FEED_COLUMNS = `id, kind, center_id, staff_id, label, created_by, created_at, revoked_at`;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function feedOut(row: FeedRow, url?: string): CalendarFeedResponse {
  return {
    id: row.id,
    kind: row.kind,
    centerId: row.center_id,
    staffId: row.staff_id,
    label: row.label,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    revokedAt: row.revoked_at ? row.revoked_at.toISOString() : null,
    ...(url ? { url } : {}),
  };
}

function badField(path: string, message: string): BadRequestException {
  return new BadRequestException({ message: `${path}: ${message}`, details: [{ path, message }] });
}

/**
 * iCal feeds of duty shifts (docs/decisions/0014-roster-feeds-and-schedules.md): a center's
 * (every position) or one person's, at a secret URL that calendar apps poll without login. The
 * random token is shown once and stored as its SHA-256; a revoked feed answers 410. A feed holds
 * only what the public duty list may show (names, published duty numbers, hotline, address) and
 * the shift times: never personal phones or notes.
 */
@Injectable()
export class CalendarService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * A center feed: commanders and admins of the jurisdiction. A person feed: the same, or the
   * person themselves when their account is linked to them on the roster (staff are not all users:
   * the commander creates the feed and hands its link to someone without an account).
   */
  async create(
    body: CalendarFeedRequest,
    caller: Principal,
    origin: string,
  ): Promise<CalendarFeedResponse> {
    let centerId: string;
    if (body.kind === 'person') {
      const staff = (await this.dataSource.query(
        `SELECT center_id, user_id FROM duty_staff WHERE id = $1`,
        [body.staffId],
      )) as { center_id: string; user_id: string | null }[];
      if (!staff.length) throw badField('body.staffId', `no duty staff with id "${body.staffId}"`);
      if (body.centerId && body.centerId !== staff[0].center_id)
        throw badField('body.centerId', 'this person is not on the staff of that center');
      centerId = staff[0].center_id;
      await centerInJurisdiction(this.dataSource, centerId, caller, 'body.staffId');
      const self = staff[0].user_id === caller.userId;
      if (!self && !FEED_MANAGERS.includes(caller.role)) {
        throw new ForbiddenException(
          `role ${caller.role} may only create the calendar feed of their own duty`,
        );
      }
    } else {
      centerId = (
        await centerInJurisdiction(this.dataSource, body.centerId!, caller, 'body.centerId')
      ).id;
      if (!FEED_MANAGERS.includes(caller.role))
        throw new ForbiddenException(`role ${caller.role} may not create a center's calendar feed`);
    }
    const token = randomBytes(32).toString('base64url');
    const [row] = (await this.dataSource.query(
      `INSERT INTO calendar_feeds (token_hash, kind, center_id, staff_id, label, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${FEED_COLUMNS}`,
      [
        hashToken(token),
        body.kind,
        centerId,
        body.kind === 'person' ? body.staffId : null,
        body.label ?? null,
        caller.userId,
      ],
    )) as FeedRow[];
    return feedOut(row, `${origin}/api/v1/calendar/${token}.ics`);
  }

  /** A center's feeds (never the tokens): all of them for its managers, one's own for others. */
  async list(centerId: string, caller: Principal): Promise<CalendarFeedResponse[]> {
    const center = await centerInJurisdiction(this.dataSource, centerId, caller, 'query.centerId');
    const all = FEED_MANAGERS.includes(caller.role);
    const rows = (await this.dataSource.query(
      `SELECT ${FEED_COLUMNS} FROM calendar_feeds WHERE center_id = $1 AND ($2 OR created_by = $3)
       ORDER BY created_at, id`,
      [center.id, all, caller.userId],
    )) as FeedRow[];
    return rows.map((r) => feedOut(r));
  }

  /** Revoked for good (the URL answers 410): by the center's managers or whoever created it. */
  async revoke(id: string, caller: Principal): Promise<CalendarFeedResponse> {
    const rows = (await this.dataSource.query(
      `SELECT ${FEED_COLUMNS} FROM calendar_feeds WHERE id = $1`,
      [id],
    )) as FeedRow[];
    if (!rows.length) throw new NotFoundException(`no calendar feed with id "${id}"`);
    await centerInJurisdiction(this.dataSource, rows[0].center_id, caller, 'params.id');
    if (!FEED_MANAGERS.includes(caller.role) && rows[0].created_by !== caller.userId)
      throw new ForbiddenException(
        "only the center's commander or the feed's creator may revoke it",
      );
    const [row] = (await this.dataSource.query(
      // (A CTE: TypeORM answers a bare UPDATE with [rows, count].)
      `WITH revoked AS (UPDATE calendar_feeds SET revoked_at = COALESCE(revoked_at, now()), revoked_by = COALESCE(revoked_by, $2)
       WHERE id = $1 RETURNING ${FEED_COLUMNS}) SELECT * FROM revoked`,
      [id, caller.userId],
    )) as FeedRow[];
    return feedOut(row);
  }

  /** The iCal text of the feed of `token`: 404 unknown, 410 revoked. */
  async render(token: string, now = Date.now()): Promise<{ body: string; name: string }> {
    if (!TOKEN_FORMAT.test(token)) throw new NotFoundException('no such calendar');
    const rows = (await this.dataSource.query(
      `SELECT ${FEED_COLUMNS} FROM calendar_feeds WHERE token_hash = $1`,
      [hashToken(token)],
    )) as FeedRow[];
    if (!rows.length) throw new NotFoundException('no such calendar');
    const feed = rows[0];
    if (feed.revoked_at) throw new GoneException('this calendar link was revoked');
    const from = now - FEED_PAST_MS;
    const to = now + FEED_AHEAD_MS;
    // Public fields only: names and published duty numbers (no personal phone is even loaded).
    const loaded = await loadRoster(this.dataSource, from, to, { centerIds: [feed.center_id] });
    const center = loaded.centers[0];
    if (!center) throw new NotFoundException('no such calendar');
    let shifts = expandShifts(loaded.data, from, to).filter((s) => s.centerId === center.id);
    let name = `Lịch trực – ${center.name}`;
    if (feed.kind === 'person') {
      const person = loaded.staff.get(feed.staff_id!);
      shifts = shifts.filter((s) => s.staffIds.includes(feed.staff_id!));
      name = `Lịch trực – ${person?.fullName ?? ''} – ${center.name}`;
    }
    const events = shifts.map((s) => this.event(loaded, s, feed));
    return {
      name,
      body: serializeCalendar({
        prodId: '-//Frontline//Duty roster//VI',
        name,
        stamp: now,
        timeZone: timeZone().name,
        events,
      }),
    };
  }

  private event(loaded: LoadedRoster, s: Shift, feed: FeedRow): IcalEvent {
    const center = loaded.centers[0];
    const label = loaded.positionNames.get(positionKey(s.centerId, s.position))?.vi ?? s.position;
    const people = s.staffIds.flatMap((id) => {
      const p = loaded.staff.get(id);
      return p ? [p.publicPhone ? `${p.fullName} (${p.publicPhone})` : p.fullName] : [];
    });
    const missing = Math.max(0, s.requiredCount - s.staffIds.length);
    const lines = [
      `${label} – ${center.name}`,
      people.length ? `Người trực: ${people.join('; ')}` : 'Chưa có người trực',
      ...(missing ? [`Thiếu ${missing} người`] : []),
      ...(s.specialDay ? [`Ngày đặc biệt: ${s.specialDay}`] : []),
      ...(center.hotline ? [`Đường dây nóng: ${center.hotline}`] : []),
    ];
    const owner = feed.kind === 'person' ? `person-${feed.staff_id}` : `center-${center.id}`;
    return {
      uid: `${owner}-${s.position}-${utcStamp(s.start)}@frontline`,
      start: s.start,
      end: s.end,
      summary:
        feed.kind === 'person'
          ? `Trực ${label} – ${center.name}`
          : `${label}: ${
              people.length
                ? s.staffIds
                    .map((id) => loaded.staff.get(id)?.fullName ?? '')
                    .filter(Boolean)
                    .join(', ')
                : 'chưa có người'
            }`,
      description: lines.join('\n'),
      ...(center.address ? { location: center.address } : {}),
    };
  }
}
