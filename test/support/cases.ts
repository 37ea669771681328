import { randomUUID } from 'node:crypto';
import type { TestStack } from './stack';

let serial = 0;

/** A person body for `POST /api/v1/people` or inline in `POST /api/v1/cases` (fictitious data). */
export function personBody(
  unit: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  serial += 1;
  return {
    fullName: `Người Thử Nghiệm ${serial}`,
    birthYear: 1980 + (serial % 30),
    sex: serial % 2 ? 'female' : 'male',
    phone: `0900 ${String(100000 + serial).slice(-6)}`,
    nationalId: String(Math.floor(Math.random() * 1e12)).padStart(12, '0'),
    address: `Số ${serial} đường Thử, ${randomUUID().slice(0, 4)}`,
    unit,
    ...extra,
  };
}

/** Creates a case through the API and returns its summary (throws unless 201). */
export async function createCase(
  stack: TestStack,
  username: string,
  body: Record<string, unknown>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
): Promise<any> {
  const res = await stack.request('POST', '/api/v1/cases', username, body);
  if (res.status !== 201) throw new Error(`POST /cases: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/** Registers `count` people of `unit` (fictitious) through the API and returns their ids. */
export async function createPeople(
  stack: TestStack,
  username: string,
  unit: string,
  count = 1,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await stack.request('POST', '/api/v1/people', username, personBody(unit));
    if (res.status !== 201)
      throw new Error(`POST /people: ${res.status} ${JSON.stringify(res.body)}`);
    ids.push(res.body.id as string);
  }
  return ids;
}

export interface SeededChain {
  f0: string;
  f1: string[];
  f2: string[];
  /** F2 id -> its F1. */
  parentOf: Map<string, string>;
}

/**
 * A tracing chain built through the API in `unit`: 1 F0 -> 12 F1 (odd ones exposed in their
 * household, even ones at work) -> 30 F2 met at the market (3 for each of the first 6 F1, 2 for
 * each of the next 6).
 */
export async function seedChain(
  stack: TestStack,
  username: string,
  unit: string,
): Promise<SeededChain> {
  const f0 = (await createCase(stack, username, { person: personBody(unit), classification: 'F0' }))
    .id as string;
  const f1: string[] = [];
  const f2: string[] = [];
  const parentOf = new Map<string, string>();
  for (let i = 0; i < 12; i++) {
    const c = await createCase(stack, username, {
      person: personBody(unit),
      classification: 'F1',
      sourceCaseId: f0,
      exposure: {
        date: daysAgo(2),
        setting: i % 2 ? 'household' : 'workplace',
        place: 'chợ Móng Cái',
      },
    });
    f1.push(c.id);
  }
  for (let i = 0; i < 12; i++) {
    for (let k = 0; k < (i < 6 ? 3 : 2); k++) {
      const c = await createCase(stack, username, {
        person: personBody(unit),
        classification: 'F2',
        sourceCaseId: f1[i],
        exposure: { date: daysAgo(1), setting: 'market' },
      });
      f2.push(c.id);
      parentOf.set(c.id, f1[i]);
    }
  }
  return { f0, f1, f2, parentOf };
}

/** The cases the registry holds for an integration's ids (`case_references`), by reference. */
export async function casesOfReferences(stack: TestStack, references: string[]): Promise<Map<string, string>> {
  const { rows } = await stack.db.query(`SELECT reference, case_id FROM case_references WHERE reference = ANY($1::text[])`, [references]);
  return new Map((rows as { reference: string; case_id: string }[]).map((r) => [r.reference, r.case_id]));
}
