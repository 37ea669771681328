import {
  ForbiddenException,
  GoneException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { CalendarFeedRequest, CalendarFeedResponse, reachOf } from '@frontline/contracts';
import { timeZone } from '@frontline/time';
import { DAY_MS, expandShifts, IcalEvent, serializeCalendar, Shift, utcStamp } from '@frontline/roster';
import { LoadedRoster, positionKey } from '@frontline/roster-ops';
import type { Principal } from '../auth/token.service';
import { fieldError } from '../common/validation';
import { centerInJurisdiction } from '../roster/roster-access';
import { RosterRepository } from '../roster/roster.repository';
import { CalendarRepository, Feed, feedResponse } from './calendar.repository';

/** The feed covers the shifts overlapping [now - 7 days, now + 60 days). */
export const FEED_PAST_MS = 7 * DAY_MS;
export const FEED_AHEAD_MS = 60 * DAY_MS;
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
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
  constructor(
    private readonly feeds: CalendarRepository,
    private readonly roster: RosterRepository,
  ) {}

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
      const staff = await this.feeds.staff(body.staffId!);
      if (!staff) throw fieldError('body.staffId', `no duty staff with id "${body.staffId}"`);
      if (body.centerId && body.centerId !== staff.centerId)
        throw fieldError('body.centerId', 'this person is not on the staff of that center');
      centerId = staff.centerId;
      await centerInJurisdiction(this.roster, centerId, caller, 'body.staffId');
      const self = staff.userId === caller.userId;
      if (!self && reachOf(caller.role, 'calendar.feeds') !== 'subtree') {
        throw new ForbiddenException(
          `role ${caller.role} may only create the calendar feed of their own duty`,
        );
      }
    } else {
      centerId = (
        await centerInJurisdiction(this.roster, body.centerId!, caller, 'body.centerId')
      ).id;
      if (reachOf(caller.role, 'calendar.feeds') !== 'subtree')
        throw new ForbiddenException(`role ${caller.role} may not create a center's calendar feed`);
    }
    const token = randomBytes(32).toString('base64url');
    const feed = await this.feeds.insert({
      tokenHash: hashToken(token),
      kind: body.kind,
      centerId,
      staffId: body.kind === 'person' ? body.staffId! : null,
      label: body.label ?? null,
      createdBy: caller.userId,
    });
    return feedResponse(feed, `${origin}/api/v1/calendar/${token}.ics`);
  }

  /** A center's feeds (never the tokens): all of them for its managers, one's own for others. */
  async list(centerId: string, caller: Principal): Promise<CalendarFeedResponse[]> {
    const center = await centerInJurisdiction(this.roster, centerId, caller, 'query.centerId');
    const all = reachOf(caller.role, 'calendar.feeds') === 'subtree';
    const feeds = await this.feeds.listOfCenter(center.id, all, caller.userId);
    return feeds.map((f) => feedResponse(f));
  }

  /** Revoked for good (the URL answers 410): by the center's managers or whoever created it. */
  async revoke(id: string, caller: Principal): Promise<CalendarFeedResponse> {
    const feed = await this.feeds.find(id);
    if (!feed) throw new NotFoundException(`no calendar feed with id "${id}"`);
    await centerInJurisdiction(this.roster, feed.centerId, caller, 'params.id');
    if (reachOf(caller.role, 'calendar.feeds') !== 'subtree' && feed.createdBy !== caller.userId)
      throw new ForbiddenException(
        "only the center's commander or the feed's creator may revoke it",
      );
    return feedResponse(await this.feeds.revoke(id, caller.userId));
  }

  /** The iCal text of the feed of `token`: 404 unknown, 410 revoked. */
  async render(token: string, now = Date.now()): Promise<{ body: string; name: string }> {
    if (!TOKEN_FORMAT.test(token)) throw new NotFoundException('no such calendar');
    const feed = await this.feeds.findByTokenHash(hashToken(token));
    if (!feed) throw new NotFoundException('no such calendar');
    if (feed.revokedAt) throw new GoneException('this calendar link was revoked');
    const from = now - FEED_PAST_MS;
    const to = now + FEED_AHEAD_MS;
    // Public fields only: names and published duty numbers (no personal phone is even loaded).
    const loaded = await this.roster.load(from, to, { centerIds: [feed.centerId] });
    const center = loaded.centers[0];
    if (!center) throw new NotFoundException('no such calendar');
    let shifts = expandShifts(loaded.data, from, to).filter((s) => s.centerId === center.id);
    let name = `Lịch trực – ${center.name}`;
    if (feed.kind === 'person') {
      const person = loaded.staff.get(feed.staffId!);
      shifts = shifts.filter((s) => s.staffIds.includes(feed.staffId!));
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

  private event(loaded: LoadedRoster, s: Shift, feed: Feed): IcalEvent {
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
    const owner = feed.kind === 'person' ? `person-${feed.staffId}` : `center-${center.id}`;
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
