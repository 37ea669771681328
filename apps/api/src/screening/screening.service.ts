import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type {
  ScreeningCounts,
  ScreeningCoverageResponse,
  ScreeningProgram,
  ScreeningProgramListResponse,
  ScreeningProgramRequest,
  ScreeningSitesMapResponse,
  ScreeningStatusResponse,
} from '@frontline/contracts';
import { UnitDirectory, UnitNode } from '@frontline/spine';
import {
  cadenceDays,
  type PersonState,
  registryReferences,
  screeningTargets,
  type SiteState,
} from '@frontline/lab-testing';
import type { Principal } from '../auth/token.service';
import { referenceNotFound, unitInJurisdiction } from '../common/jurisdiction';
import { fieldError } from '../common/validation';
import { ScreeningRepository } from './screening.repository';

const STATUS_ORDER = { overdue: 0, due: 1, ok: 2 } as const;

function counts(items: { status: 'ok' | 'due' | 'overdue' }[]): ScreeningCounts {
  const c = { total: items.length, ok: 0, due: 0, overdue: 0 };
  for (const i of items) c[i.status]++;
  return { ...c, coverage: c.total ? Math.round((c.ok / c.total) * 1000) / 1000 : 1 };
}

const publicSite = ({ unitPath: _p, overdueAt: _o, ...site }: SiteState) => site;
const publicPerson = ({ unitPath: _p, overdueAt: _o, ...person }: PersonState) => person;

/**
 * Screening programs (docs/decisions/0013-lab-testing.md). Due / overdue is computed on read from
 * the lab results (nothing to keep in step); the worker's scheduled check raises the events.
 */
@Injectable()
export class ScreeningService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly screening: ScreeningRepository,
    private readonly units: UnitDirectory,
  ) {}

  async createProgram(request: ScreeningProgramRequest, caller: Principal): Promise<ScreeningProgram> {
    const unit = await unitInJurisdiction(this.units, request.unit, caller);
    const within = async (code: string, path: string): Promise<UnitNode> => {
      const node = await this.units.resolve(code);
      if (!node || !UnitDirectory.within(unit.code, node.path)) {
        throw fieldError(path, `not within ${unit.code}`);
      }
      return node;
    };
    const siteUnits: UnitNode[] = [];
    for (const [i, s] of request.sites.entries()) siteUnits.push(await within(s.unit, `body.sites.${i}.unit`));
    const personUnits: UnitNode[] = [];
    for (const [i, p] of request.people.entries()) personUnits.push(await within(p.unit, `body.people.${i}.unit`));
    const refs = await registryReferences(this.dataSource, caller.unitCode, { people: request.people.map((p) => p.personId) });
    const missing = request.people.findIndex((p) => !refs.people.has(p.personId.toLowerCase()));
    if (missing >= 0) throw referenceNotFound(`body.people.${missing}.personId`, 'no such person');
    const days = cadenceDays(request.cadence, request.everyDays);
    const graceHours = request.graceHours ?? 24;
    const startsAt = request.startsAt ?? new Date().toISOString();

    const created = await this.dataSource.transaction((em) =>
      this.screening.insertProgram(em, {
        name: request.name,
        targetGroup: request.targetGroup,
        cadenceDays: days,
        graceHours,
        unitCode: unit.code,
        unitPath: unit.path,
        startsAt,
        createdBy: `user:${caller.userId}`,
        sites: request.sites.map((site, i) => ({
          name: site.name,
          unitCode: siteUnits[i].code,
          unitPath: siteUnits[i].path,
          lat: site.lat,
          lon: site.lon,
        })),
        people: request.people.map((person, i) => ({
          personId: person.personId.toLowerCase(),
          site: person.site ?? null,
          unitCode: personUnits[i].code,
          unitPath: personUnits[i].path,
        })),
      }),
    );
    return {
      id: created.id,
      name: request.name,
      targetGroup: request.targetGroup,
      unit: unit.code,
      cadenceDays: days,
      graceHours,
      startsAt: created.startsAt.toISOString(),
      sites: request.sites.map((s, i) => ({ id: created.siteIds[i], name: s.name, unit: siteUnits[i].code, lat: s.lat, lon: s.lon })),
      people: request.people.length,
    };
  }

  async status(caller: Principal, unitCode: string, programId: string | null, now = new Date()): Promise<ScreeningStatusResponse> {
    const unit = await unitInJurisdiction(this.units, unitCode, caller);
    const { sites, people } = await screeningTargets(this.dataSource, unit.code, programId, now);
    return { unit: unit.code, at: now.toISOString(), sites: sites.map(publicSite), people: people.map(publicPerson) };
  }

  /** Per unit that has targets (the unit where each site / person is), and the total. */
  async coverage(caller: Principal, unitCode: string, programId: string | null, now = new Date()): Promise<ScreeningCoverageResponse> {
    const unit = await unitInJurisdiction(this.units, unitCode, caller);
    const { sites, people } = await screeningTargets(this.dataSource, unit.code, programId, now);
    const codes = [...new Set([...sites.map((s) => s.unit), ...people.map((p) => p.unit)])].sort();
    return {
      unit: unit.code,
      at: now.toISOString(),
      total: { sites: counts(sites), people: counts(people) },
      units: codes.map((code) => ({
        unit: code,
        sites: counts(sites.filter((s) => s.unit === code)),
        people: counts(people.filter((p) => p.unit === code)),
      })),
    };
  }

  /** The active programs with sites or people in the unit's subtree, each with its counts there now. */
  async programs(caller: Principal, unitCode: string, now = new Date()): Promise<ScreeningProgramListResponse> {
    const unit = await unitInJurisdiction(this.units, unitCode, caller);
    const { sites, people } = await screeningTargets(this.dataSource, unit.code, null, now);
    const ids = [...new Set([...sites.map((s) => s.programId), ...people.map((p) => p.programId)])];
    const programs = await this.screening.programs(ids);
    return {
      unit: unit.code,
      at: now.toISOString(),
      programs: programs.map((r) => ({
        ...r,
        sites: counts(sites.filter((s) => s.programId === r.id)),
        people: counts(people.filter((p) => p.programId === r.id)),
      })),
    };
  }

  /** Sites for the map: overdue first, then due, then ok. */
  async sitesForMap(caller: Principal, unitCode: string, programId: string | null, now = new Date()): Promise<ScreeningSitesMapResponse> {
    const unit = await unitInJurisdiction(this.units, unitCode, caller);
    const { sites } = await screeningTargets(this.dataSource, unit.code, programId, now);
    const ordered = [...sites].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
    return { unit: unit.code, at: now.toISOString(), sites: ordered.map(publicSite) };
  }
}
