import { randomUUID } from 'node:crypto';

type Envelope = {
  id: string;
  type: string;
  unit: string;
  occurredAt: string;
  location?: { lat: number; lon: number };
  drill?: boolean;
  exerciseId?: string;
  payload: Record<string, unknown>;
};

/** Builds valid event envelopes: `EventFactory.caseConfirmed().inUnit('194').build()`. */
export class EventFactory {
  private constructor(private event: Envelope) {}

  private static of(type: string, payload: Record<string, unknown>): EventFactory {
    return new EventFactory({ id: randomUUID(), type, unit: '22', occurredAt: new Date().toISOString(), payload });
  }

  static caseConfirmed(): EventFactory {
    return EventFactory.of('case.confirmed', { caseId: `F0-${randomUUID().slice(0, 8)}`, method: 'rt-pcr', source: 'community' });
  }

  /** A contact of `sourceCaseId`: the case it names must be registered first (sent earlier or earlier in the batch). */
  static contactIdentified(sourceCaseId: string, classification: 'F1' | 'F2' = 'F1'): EventFactory {
    return EventFactory.of('contact.identified', {
      contactId: `${classification}-${randomUUID().slice(0, 8)}`,
      classification,
      sourceCaseId,
      exposureDate: new Date().toISOString().slice(0, 10),
      setting: 'household',
    });
  }

  static testResulted(result: 'positive' | 'negative' = 'negative'): EventFactory {
    return EventFactory.of('test.resulted', {
      testId: `T-${randomUUID().slice(0, 8)}`,
      sampleId: `S-${randomUUID().slice(0, 8)}`,
      method: 'rt-pcr',
      result,
    });
  }

  /** An urgent category by default; 'other' is the one that is not urgent. */
  static reportReceived(category = 'illegal-entry'): EventFactory {
    return EventFactory.of('report.received', {
      channel: 'hotline',
      category,
      description: 'Người dân báo có người nhập cảnh trái phép qua đường mòn',
      callerPhone: '0912 345 678',
    });
  }

  /** The F0 the next contact of `mixed` names (the latest F0 it built). */
  private static mixedSource = '';

  /**
   * A realistic mix for bulk tests, by index in cycles of 20: one F0 (index 0) and one F1 of
   * it (index 10), test results and reports in between. Every F0 and F1 is a registry record
   * (a few statements each), so they are a tenth of the mix, about their share of real traffic
   * against results and reports. A mix sent in order registers every contact.
   */
  static mixed(i: number, unit: string): Envelope {
    const step = i % 20;
    let event: Envelope;
    if (step === 10 && EventFactory.mixedSource) event = EventFactory.contactIdentified(EventFactory.mixedSource).inUnit(unit).build();
    else if (step === 0 || step === 10) event = EventFactory.caseConfirmed().inUnit(unit).build();
    else event = (step % 2 ? EventFactory.testResulted() : EventFactory.reportReceived()).inUnit(unit).build();
    if (event.type === 'case.confirmed') EventFactory.mixedSource = String(event.payload.caseId);
    return event;
  }

  inUnit(unit: string): this {
    this.event.unit = unit;
    return this;
  }

  at(lat: number, lon: number): this {
    this.event.location = { lat, lon };
    return this;
  }

  /** Occurred `ms` milliseconds ago. */
  ago(ms: number): this {
    this.event.occurredAt = new Date(Date.now() - ms).toISOString();
    return this;
  }

  asDrill(exerciseId?: string): this {
    this.event.drill = true;
    if (exerciseId) this.event.exerciseId = exerciseId;
    return this;
  }

  with(patch: Partial<Envelope>): this {
    this.event = { ...this.event, ...patch };
    return this;
  }

  build(): Envelope {
    return structuredClone(this.event);
  }
}

/** The 13 district-level units of the demo seed (GSO codes) with the slug of their duty account. */
export const DISTRICTS = {
  haLong: { code: '193', account: 'ha-long.duty' },
  mongCai: { code: '194', account: 'mong-cai.duty' },
  camPha: { code: '195', account: 'cam-pha.duty' },
  uongBi: { code: '196', account: 'uong-bi.duty' },
  binhLieu: { code: '198', account: 'binh-lieu.duty' },
  coTo: { code: '207', account: 'co-to.duty' },
} as const;

/** Bodies for `POST /api/v1/lab-results`: `LabResultFactory.antigen('positive').forPerson(id).build()`. */
export class LabResultFactory {
  private constructor(private body: Record<string, unknown>) {}

  static of(method: 'rt-pcr' | 'antigen', result: 'positive' | 'negative' | 'inconclusive' = 'negative'): LabResultFactory {
    return new LabResultFactory({
      labCode: 'QN-CDC',
      sampleId: `S-${randomUUID().slice(0, 12)}`,
      unit: '194',
      method,
      result,
      collectedAt: new Date(Date.now() - 3_600_000).toISOString(),
    });
  }

  static rtPcr(result: 'positive' | 'negative' | 'inconclusive' = 'negative'): LabResultFactory {
    return LabResultFactory.of('rt-pcr', result);
  }

  static antigen(result: 'positive' | 'negative' | 'inconclusive' = 'negative'): LabResultFactory {
    return LabResultFactory.of('antigen', result);
  }

  with(fields: Record<string, unknown>): this {
    Object.assign(this.body, fields);
    return this;
  }

  /** A person of the registry (`createPeople` in support/cases.ts): the lab tables reference people. */
  forPerson(personId: string): this {
    this.body.personId = personId;
    return this;
  }

  inUnit(unit: string): this {
    this.body.unit = unit;
    return this;
  }

  build(): Record<string, unknown> {
    return { ...this.body };
  }
}

/**
 * A lab upload file of `rows` rows, CSV or JSON; the rows listed in `badRows` (1-based) are
 * broken in a known field (`method`). Sample ids are unique per call (`prefix`).
 */
export function labUploadFile(
  rows: number,
  options: { format?: 'csv' | 'json'; badRows?: number[]; unit?: string; prefix?: string } = {},
): string {
  const bad = new Set(options.badRows ?? []);
  const prefix = options.prefix ?? randomUUID().slice(0, 8);
  const collectedAt = new Date(Date.now() - 86_400_000).toISOString();
  const make = (i: number) => ({
    sampleId: `${prefix}-${i}`,
    unit: options.unit ?? '194',
    method: bad.has(i) ? 'pcr' : 'rt-pcr',
    result: i % 50 === 0 ? 'positive' : 'negative',
    collectedAt,
  });
  if (options.format === 'json') return JSON.stringify(Array.from({ length: rows }, (_, i) => make(i + 1)));
  const lines = ['sampleId,unit,method,result,collectedAt'];
  for (let i = 1; i <= rows; i++) {
    const r = make(i);
    lines.push(`${r.sampleId},${r.unit},${r.method},${r.result},${r.collectedAt}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}
