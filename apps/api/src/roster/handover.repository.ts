import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { HandoverDigest, HandoverResponse } from '@frontline/contracts';

const MAX_LISTED_REPORTS = 100;

interface HandoverRow {
  id: string;
  center_id: string;
  unit_code: string;
  position_code: string;
  shift_start: Date;
  outgoing_staff_id: string;
  note: string | null;
  digest: HandoverDigest;
  created_at: Date;
  signed_by_staff_id: string | null;
  signed_at: Date | null;
}

const SELECT_HANDOVER = `SELECT h.id, h.center_id, c.unit_code, h.position_code, h.shift_start, h.outgoing_staff_id, h.note,
       h.digest, h.created_at, h.signed_by_staff_id, h.signed_at
FROM shift_handovers h JOIN command_centers c ON c.id = h.center_id`;

/** The shift a handover is about: one outgoing person on one shift of a position. */
export interface HandoverKey {
  centerId: string;
  position: string;
  shiftStart: Date;
  outgoingStaffId: string;
}

/** What the handover digest is made of, read for one center and its unit's subtree. */
export interface DigestRows {
  since: Date;
  reports: { report_id: string; unit_code: string; category: string; received_at: Date }[];
  f0: { unit_code: string; n: number }[];
  gaps: { position_code: string; starts_at: Date; ends_at: Date; required_count: number; present_count: number }[];
}

/** Shift handovers (`shift_handovers`) and the open work their digest lists. */
@Injectable()
export class HandoverRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(id: string): Promise<HandoverResponse | undefined> {
    return this.findWhere('WHERE h.id = $1', [id]);
  }

  async findByKey(key: HandoverKey): Promise<HandoverResponse | undefined> {
    return this.findWhere(
      `WHERE h.center_id = $1 AND h.position_code = $2 AND h.shift_start = $3 AND h.outgoing_staff_id = $4`,
      [key.centerId, key.position, key.shiftStart, key.outgoingStaffId],
    );
  }

  /** The handover of that shift, written once (a repeat returns the existing id). */
  async insert(key: HandoverKey, outgoingUserId: string, note: string | null, digest: HandoverDigest): Promise<string> {
    const [{ id }] = (await this.dataSource.query(
      `INSERT INTO shift_handovers (center_id, position_code, shift_start, outgoing_staff_id, outgoing_user_id, note, digest)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (center_id, position_code, shift_start, outgoing_staff_id) DO UPDATE SET note = shift_handovers.note
       RETURNING id`,
      [key.centerId, key.position, key.shiftStart, key.outgoingStaffId, outgoingUserId, note, JSON.stringify(digest)],
    )) as { id: string }[];
    return id;
  }

  /** Signs a handover not signed yet; false when it was signed meanwhile. */
  async sign(em: EntityManager, id: string, staffId: string, userId: string): Promise<boolean> {
    const signed = (await em.query(
      `WITH signed AS (UPDATE shift_handovers SET signed_by_staff_id = $2, signed_by_user_id = $3, signed_at = now()
       WHERE id = $1 AND signed_at IS NULL RETURNING id) SELECT id FROM signed`,
      [id, staffId, userId],
    )) as { id: string }[];
    return signed.length > 0;
  }

  /**
   * Since the last handover of the position (or the shift start): urgent reports not
   * acknowledged in the unit's subtree, F0 per unit, and the center's open coverage gaps ahead.
   */
  async digestRows(center: { id: string; unit_code: string }, position: string, shiftStart: Date, now: Date): Promise<DigestRows> {
    const [previous] = (await this.dataSource.query(
      `SELECT max(created_at) AS at FROM shift_handovers WHERE center_id = $1 AND position_code = $2`,
      [center.id, position],
    )) as { at: Date | null }[];
    const since = previous?.at ?? shiftStart;
    const [reports, f0, gaps] = await Promise.all([
      this.dataSource.query(
        `SELECT report_id, unit_code, category, received_at FROM urgent_reports
         WHERE unit_path @> ARRAY[$1]::text[] AND acknowledged_at IS NULL AND NOT drill
         ORDER BY received_at LIMIT ${MAX_LISTED_REPORTS}`,
        [center.unit_code],
      ) as Promise<DigestRows['reports']>,
      this.dataSource.query(
        `SELECT unit_code, count(*)::int AS n FROM event_log
         WHERE type = 'case.confirmed' AND NOT drill AND unit_path @> ARRAY[$1]::text[] AND recorded_at > $2
         GROUP BY unit_code ORDER BY unit_code`,
        [center.unit_code, since],
      ) as Promise<DigestRows['f0']>,
      this.dataSource.query(
        `SELECT position_code, starts_at, ends_at, required_count, present_count FROM coverage_gaps
         WHERE center_id = $1 AND state = 'open' AND ends_at > $2 ORDER BY starts_at, position_code`,
        [center.id, now],
      ) as Promise<DigestRows['gaps']>,
    ]);
    return { since, reports, f0, gaps };
  }

  private async findWhere(where: string, params: unknown[]): Promise<HandoverResponse | undefined> {
    const rows = (await this.dataSource.query(`${SELECT_HANDOVER} ${where}`, params)) as HandoverRow[];
    return rows[0] && handoverFromRow(rows[0]);
  }
}

function handoverFromRow(h: HandoverRow): HandoverResponse {
  return {
    id: h.id,
    centerId: h.center_id,
    unit: h.unit_code,
    position: h.position_code,
    shiftStart: h.shift_start.toISOString(),
    outgoingStaffId: h.outgoing_staff_id,
    note: h.note,
    digest: h.digest,
    createdAt: h.created_at.toISOString(),
    signedByStaffId: h.signed_by_staff_id,
    signedAt: h.signed_at ? h.signed_at.toISOString() : null,
  };
}
