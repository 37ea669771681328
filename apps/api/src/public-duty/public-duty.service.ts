import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { foldDiacritics, PublicDutyCenter, PublicDutyResponse } from '@frontline/contracts';
import { UnitDirectory } from '@frontline/spine';
import { RosterService } from '../roster/roster.service';
import { RosterRepository } from '../roster/roster.repository';

/** The public list is recomputed at most this often (and at every shift change). */
export const PUBLIC_DUTY_TTL_MS = 20_000;
const gzipAsync = promisify(gzip);
/** Rendered bodies kept per board (one per search text and language); a board lives 20 s at most. */
const MAX_RENDERED_PER_BOARD = 500;

/** A response body ready to send: as is, and gzipped for clients that accept it. */
export interface RenderedBody {
  raw: Buffer;
  gzip: Buffer;
  /** Validator of the content (weak: the same for both encodings): a match answers 304. */
  etag: string;
}

/** How old a board may be served when the database cannot answer. */
const STALE_IF_ERROR_MS = 10 * 60_000;
/**
 * Past its 20 s refresh (but not past a shift change), the board is served as it is while one
 * refresh runs in the background, for at most this long: a crowd never waits for the recomputation.
 */
const SERVE_WHILE_REFRESHING_MS = 60_000;

/** Position labels for the page; not part of the public JSON. */
export interface PositionLabel {
  vi: string;
  en: string | null;
}

/** A center as the public page needs it: the public fields plus what the page derives from them. */
export interface PublicBoardCenter {
  center: PublicDutyCenter;
  /** Position code -> label, for the page. */
  labels: Map<string, PositionLabel>;
  /** Folded, lowercase unit and center names: what a search matches. */
  searchText: string;
}

export interface PublicBoard {
  updatedAt: Date;
  /** Set when the board answers for another instant than now (`?at=`): the instant it describes. */
  at?: Date;
  expiresAt: number;
  /** The next shift change of any center (ms; Infinity when none): the board is wrong after it. */
  shiftChangeAt?: number;
  centers: PublicBoardCenter[];
}

/** Accent- and case-insensitive: "mong cai", "MÓNG CÁI" and "móng cái" all match "Móng Cái". */
export function searchKey(text: string): string {
  return foldDiacritics(text).toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * The published duty list: every public command center, who is on duty now and how to call
 * them. Computed from PostgreSQL only (works with Redis down), kept in memory until the next
 * shift change or for at most 20 s, and serialized through an explicit whitelist.
 */
@Injectable()
export class PublicDutyService {
  private board?: PublicBoard;
  private refreshing?: Promise<PublicBoard>;
  /** Serialized (and gzipped) bodies of the cached board: a crowd asking the same costs one render. */
  private readonly rendered = new WeakMap<PublicBoard, Map<string, Promise<RenderedBody>>>();

  constructor(
    private readonly roster: RosterService,
    private readonly units: UnitDirectory,
  ) {}

  /**
   * The cached board, recomputed once (however many requests wait) when expired. If PostgreSQL
   * fails, the last board is served (its `updatedAt` tells how old it is) rather than an error.
   */
  async current(now = Date.now()): Promise<PublicBoard> {
    const board = this.board;
    if (board && now < board.expiresAt) return board;
    this.refreshing ??= this.compute(now).finally(() => {
      this.refreshing = undefined;
    });
    const refresh = this.refreshing;
    // Only the periodic refresh (edits to the roster) is served stale, never a shift change.
    const sameShifts = board && now < (board.shiftChangeAt ?? Infinity);
    if (board && sameShifts && now - board.expiresAt < SERVE_WHILE_REFRESHING_MS) {
      refresh.catch(() => undefined); // the next request past the window waits and sees the error
      return board;
    }
    try {
      return await refresh;
    } catch (err) {
      if (this.board && now - this.board.updatedAt.getTime() < STALE_IF_ERROR_MS) return this.board;
      throw err;
    }
  }

  /**
   * Who is (or was) on duty: now from the cache, or at `at` (past shifts for accountability,
   * future ones for planning), computed by the same rules from the rows that applied then and
   * not cached. Same whitelist either way.
   */
  async search(
    q: string | undefined,
    at?: Date,
  ): Promise<{ board: PublicBoard; centers: PublicBoardCenter[] }> {
    const board = at ? await this.compute(Date.now(), at) : await this.current();
    const needle = q ? searchKey(q) : '';
    return {
      board,
      centers: needle ? board.centers.filter((c) => c.searchText.includes(needle)) : board.centers,
    };
  }

  /**
   * The body for (board, key), rendered and gzipped once per board when the board is the cached
   * one (a board for `?at=` is rendered per request).
   */
  renderOnce(board: PublicBoard, key: string, render: () => string): Promise<RenderedBody> {
    const make = async (): Promise<RenderedBody> => {
      const raw = Buffer.from(render());
      const etag = `W/"${createHash('sha1').update(raw).digest('base64url')}"`;
      return { raw, gzip: await gzipAsync(raw), etag };
    };
    if (board.at) return make();
    let bodies = this.rendered.get(board);
    if (!bodies) {
      bodies = new Map();
      this.rendered.set(board, bodies);
    }
    let body = bodies.get(key);
    if (!body) {
      body = make();
      if (bodies.size < MAX_RENDERED_PER_BOARD) bodies.set(key, body);
    }
    return body;
  }

  /** The JSON body: exactly `{updatedAt, centers: [{unit, name, hotline, address, onDuty, nextShiftAt}]}`. */
  static toResponse(board: PublicBoard, centers: PublicBoardCenter[]): PublicDutyResponse {
    return {
      updatedAt: board.updatedAt.toISOString(),
      ...(board.at ? { at: board.at.toISOString() } : {}),
      centers: centers.map(({ center: c }) => ({
        unit: c.unit,
        name: c.name,
        hotline: c.hotline,
        address: c.address,
        onDuty: c.onDuty.map((p) => ({ position: p.position, name: p.name, phone: p.phone })),
        nextShiftAt: c.nextShiftAt,
      })),
    };
  }

  private async compute(now: number, past?: Date): Promise<PublicBoard> {
    await this.units.fresh();
    const at = past ?? new Date(now);
    const { loaded, centers } = await this.roster.onDutyEverywhere(at, { publicOnly: true });
    const addresses = new Map(loaded.centers.map((c) => [c.id, c.address]));
    const result: PublicBoardCenter[] = centers.map((c) => {
      const unitName = this.units.get(c.unit)?.name ?? c.unit;
      const labels = new Map<string, PositionLabel>();
      for (const p of c.positions) {
        const names = loaded.positionNames.get(
          RosterRepository.positionKey(c.centerId, p.position),
        );
        labels.set(p.position, { vi: names?.vi ?? p.name, en: names?.en ?? null });
      }
      return {
        // Built field by field from the whitelist: nothing else of the roster can reach it.
        center: {
          unit: unitName,
          name: c.name,
          hotline: c.hotline,
          address: addresses.get(c.centerId) ?? null,
          onDuty: c.positions.flatMap((p) =>
            p.people.map((person) => ({
              position: p.position,
              name: person.fullName,
              phone: person.publicPhone,
            })),
          ),
          nextShiftAt: c.nextShiftAt,
        },
        labels,
        searchText: searchKey(`${unitName} ${c.name}`),
      };
    });
    const boundaries = centers.flatMap((c) => (c.nextShiftAt ? [Date.parse(c.nextShiftAt)] : []));
    if (past) return { updatedAt: new Date(now), at: past, expiresAt: now, centers: result };
    const shiftChangeAt = Math.min(Infinity, ...boundaries);
    const expiresAt = Math.min(now + PUBLIC_DUTY_TTL_MS, shiftChangeAt);
    this.board = { updatedAt: at, expiresAt, shiftChangeAt, centers: result };
    return this.board;
  }
}
