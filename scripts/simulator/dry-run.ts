import { createHash } from 'node:crypto';
import { parseEventInput } from '@frontline/contracts';
import { OutbreakSimulation } from '@frontline/simulation';
import { describeMix, n } from './format';

export interface DryRunResult {
  count: number;
  invalid: number;
  idsSha256: string;
  eventsSha256: string;
}

/**
 * Generates `count` events without sending them: prints the first `print` as JSON lines,
 * checks every event against the contracts, and prints checksums. The ids checksum depends
 * on seed, scenario, units and drill only, so it matches the summary of a live run of the
 * same length; the events checksum also covers occurredAt (pin it with --start and --rate).
 */
export function dryRun(sim: OutbreakSimulation, count: number, print: number): DryRunResult {
  const ids = createHash('sha256');
  const all = createHash('sha256');
  let invalid = 0;
  for (let i = 0; i < count; i++) {
    const event = sim.next();
    const json = JSON.stringify(event);
    if (i < print) console.log(json);
    ids.update(`${event.id}\n`);
    all.update(`${json}\n`);
    const check = parseEventInput(event, `event #${i}`);
    if (!check.ok) {
      invalid++;
      if (invalid <= 5) {
        console.error(
          `invalid: ${check.issues.map((x) => `${x.path}: ${x.message}`).join('; ')}\n  ${json}`,
        );
      }
    }
  }
  const result = {
    count,
    invalid,
    idsSha256: ids.digest('hex'),
    eventsSha256: all.digest('hex'),
  };
  console.log(
    `\n-- dry run: ${n(count)} events generated, ${n(invalid)} invalid against the contracts --`,
  );
  for (const line of describeMix(sim.stats)) console.log(line);
  console.log(`ids           sha256 ${result.idsSha256}`);
  console.log(`events        sha256 ${result.eventsSha256} (includes occurredAt)`);
  return result;
}
