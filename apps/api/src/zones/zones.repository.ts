import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { LockdownRequest, URGENT_REPORT_CATEGORIES, ZONE_LEVELS } from '@frontline/contracts';
import type { Queryable } from '@frontline/database';

export type ZoneLevel = (typeof ZONE_LEVELS)[number];

interface LockdownRow {
  id: string;
  unit_code: string;
  unit_path: string[];
  decision_number: string;
  area_units: string[];
  starts_at: Date;
  planned_end: Date;
  responsible_team_id: string | null;
  checkpoints: { name: string; lat: number; lon: number }[];
  state: 'active' | 'lifted';
  lifted_at: Date | null;
  area: string;
}

export interface LockdownView {
  id: string;
  unit: string;
  decisionNumber: string;
  areaUnits: string[];
  startsAt: string;
  plannedEnd: string;
  responsibleTeamId: string | null;
  checkpoints: { name: string; lat: number; lon: number }[];
  state: 'active' | 'lifted';
  liftedAt: string | null;
  area: unknown;
}

/** A lockdown as stored, with the unit path its jurisdiction is checked against. */
export interface Lockdown {
  view: LockdownView;
  unitPath: string[];
  startsAt: Date;
}

export interface ZoneLevelEntry {
  id: string;
  level: ZoneLevel;
  effectiveAt: string;
  decisionRef: string;
  setBy: string;
  eventId: string;
}

export interface NewLockdown {
  id: string;
  unitCode: string;
  unitPath: string[];
  request: LockdownRequest;
  createdBy: string;
}

export interface LockdownCounts {
  f0: number;
  f1: number;
  urgentReports: number;
  openSupplyTasks: number;
}

const LOCKDOWN_COLUMNS = `id, unit_code, unit_path, decision_number, area_units, starts_at, planned_end, responsible_team_id,
  checkpoints, state, lifted_at, ST_AsGeoJSON(area, 6) AS area`;

/** Zone levels (`zone_levels`) and lockdown areas (`lockdowns`, PostGIS), read and written. */
@Injectable()
export class ZonesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Serialises level changes of one unit until the transaction ends. */
  async lockUnitLevel(em: EntityManager, unitCode: string): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('zone-level:' || $1))`, [unitCode]);
  }

  async levelAt(em: EntityManager, unitCode: string, at: string): Promise<ZoneLevel | undefined> {
    const rows = (await em.query(
      `SELECT level FROM zone_levels WHERE unit_code = $1 AND effective_at <= $2 ORDER BY effective_at DESC, created_at DESC LIMIT 1`,
      [unitCode, at],
    )) as { level: ZoneLevel }[];
    return rows[0]?.level;
  }

  async insertLevel(
    em: EntityManager,
    level: { id: string; unitCode: string; level: ZoneLevel; effectiveAt: string; decisionRef: string; eventId: string; setBy: string },
  ): Promise<void> {
    await em.query(
      `INSERT INTO zone_levels (id, unit_code, level, effective_at, decision_ref, event_id, set_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [level.id, level.unitCode, level.level, level.effectiveAt, level.decisionRef, level.eventId, level.setBy],
    );
  }

  /** The history of a unit's levels, newest first. */
  async levelHistory(unitCode: string): Promise<ZoneLevelEntry[]> {
    const rows = (await this.dataSource.query(
      `SELECT id, level, effective_at, decision_ref, set_by, event_id FROM zone_levels WHERE unit_code = $1
       ORDER BY effective_at DESC, created_at DESC LIMIT 500`,
      [unitCode],
    )) as { id: string; level: ZoneLevel; effective_at: Date; decision_ref: string; set_by: string; event_id: string }[];
    return rows.map((r) => ({
      id: r.id,
      level: r.level,
      effectiveAt: r.effective_at.toISOString(),
      decisionRef: r.decision_ref,
      setBy: r.set_by,
      eventId: r.event_id,
    }));
  }

  /** Why a GeoJSON geometry is not valid for PostGIS, or null when it is. */
  async invalidAreaReason(em: EntityManager, area: unknown): Promise<string | null> {
    const rows = (await em.query(
      `SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS g) x`,
      [JSON.stringify(area)],
    )) as { valid: boolean; reason: string }[];
    return rows[0].valid ? null : rows[0].reason;
  }

  /**
   * Inserts a lockdown whose area is the drawn polygon, or else the union of the boundaries of
   * its units; false when those units have no boundary (nothing inserted).
   */
  async insertLockdown(em: EntityManager, lockdown: NewLockdown): Promise<boolean> {
    const { request } = lockdown;
    const areaSql = request.area
      ? `ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326))`
      : `(SELECT ST_Multi(ST_Union(geom)) FROM admin_units WHERE code = ANY($1) AND geom IS NOT NULL)`;
    const inserted = (await em.query(
      `INSERT INTO lockdowns (id, unit_code, unit_path, decision_number, area, area_units, starts_at, planned_end,
                              responsible_team_id, checkpoints, created_by)
       SELECT $2, $3, $4, $5, a.geom, $6, $7, $8, $9, $10, $11
       FROM (SELECT ${areaSql} AS geom) a WHERE a.geom IS NOT NULL RETURNING id`,
      [
        request.area ? JSON.stringify(request.area) : request.unitCodes,
        lockdown.id,
        lockdown.unitCode,
        lockdown.unitPath,
        request.decisionNumber,
        request.unitCodes ?? [],
        request.startsAt,
        request.plannedEnd,
        request.responsibleTeamId ?? null,
        JSON.stringify(request.checkpoints),
        lockdown.createdBy,
      ],
    )) as unknown[];
    return inserted.length > 0;
  }

  async find(id: string, db: Queryable = this.dataSource): Promise<Lockdown | undefined> {
    const rows = (await db.query(`SELECT ${LOCKDOWN_COLUMNS} FROM lockdowns WHERE id = $1`, [id])) as LockdownRow[];
    return rows[0] && lockdown(rows[0]);
  }

  /** The lockdown locked for the rest of the transaction. */
  async findForUpdate(em: EntityManager, id: string): Promise<Lockdown | undefined> {
    const rows = (await em.query(`SELECT ${LOCKDOWN_COLUMNS} FROM lockdowns WHERE id = $1 FOR UPDATE`, [id])) as LockdownRow[];
    return rows[0] && lockdown(rows[0]);
  }

  /** Lockdowns declared in a unit's subtree, newest first; `state` null for all. */
  async list(unitCode: string, state: 'active' | 'lifted' | null): Promise<LockdownView[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${LOCKDOWN_COLUMNS} FROM lockdowns WHERE unit_path @> $1::text[] AND ($2::text IS NULL OR state = $2)
       ORDER BY starts_at DESC LIMIT 500`,
      [[unitCode], state],
    )) as LockdownRow[];
    return rows.map(lockdownView);
  }

  async amend(em: EntityManager, id: string, plannedEnd: string, decisionNumber: string): Promise<void> {
    await em.query(`UPDATE lockdowns SET planned_end = $2, decision_number = $3, updated_at = now() WHERE id = $1`, [
      id,
      plannedEnd,
      decisionNumber,
    ]);
  }

  async lift(em: EntityManager, id: string): Promise<void> {
    await em.query(`UPDATE lockdowns SET state = 'lifted', lifted_at = now(), updated_at = now() WHERE id = $1`, [id]);
  }

  /** F0, F1 and urgent reports whose location lies inside the area (drills excluded), with open supply tasks. */
  async counts(id: string): Promise<LockdownCounts> {
    const rows = (await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE e.type = 'case.confirmed')::int AS f0,
              count(*) FILTER (WHERE e.type = 'contact.identified' AND e.payload->>'classification' = 'F1')::int AS f1,
              count(*) FILTER (WHERE e.type = 'report.received' AND e.payload->>'category' = ANY($2))::int AS urgent
       FROM lockdowns l JOIN event_log e ON ST_Covers(l.area, e.location)
       WHERE l.id = $1 AND NOT e.drill AND e.type IN ('case.confirmed', 'contact.identified', 'report.received')`,
      [id, URGENT_REPORT_CATEGORIES],
    )) as { f0: number; f1: number; urgent: number }[];
    const supply = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM lockdowns l JOIN tasks t ON ST_Covers(l.area, t.place::geometry)
       WHERE l.id = $1 AND t.type = 'supply' AND t.state NOT IN ('done', 'cancelled')`,
      [id],
    )) as { n: number }[];
    return { f0: rows[0].f0, f1: rows[0].f1, urgentReports: rows[0].urgent, openSupplyTasks: supply[0].n };
  }

  /**
   * The lockdown share-locked (so it cannot be lifted meanwhile), with whether its area covers
   * the place.
   */
  async shareLockCovering(
    em: EntityManager,
    id: string,
    place: { lat: number; lon: number },
  ): Promise<{ unitPath: string[]; state: string; covers: boolean } | undefined> {
    const rows = (await em.query(
      `SELECT unit_path, state, ST_Covers(area, ST_SetSRID(ST_MakePoint($2, $3), 4326)) AS covers FROM lockdowns WHERE id = $1 FOR SHARE`,
      [id, place.lon, place.lat],
    )) as { unit_path: string[]; state: string; covers: boolean }[];
    return rows[0] && { unitPath: rows[0].unit_path, state: rows[0].state, covers: rows[0].covers };
  }
}

function lockdown(r: LockdownRow): Lockdown {
  return { view: lockdownView(r), unitPath: r.unit_path, startsAt: r.starts_at };
}

function lockdownView(r: LockdownRow): LockdownView {
  return {
    id: r.id,
    unit: r.unit_code,
    decisionNumber: r.decision_number,
    areaUnits: r.area_units,
    startsAt: r.starts_at.toISOString(),
    plannedEnd: r.planned_end.toISOString(),
    responsibleTeamId: r.responsible_team_id,
    checkpoints: r.checkpoints,
    state: r.state,
    liftedAt: r.lifted_at?.toISOString() ?? null,
    area: JSON.parse(r.area) as unknown,
  };
}
