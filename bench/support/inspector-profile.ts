import { writeFileSync } from 'node:fs';
import WebSocket from 'ws';

/**
 * Diagnostic only: talks to a running api / worker through its inspector (the stack is started
 * with NODE_OPTIONS=--inspect=127.0.0.1:0, and the process prints its WebSocket URL) to sample
 * its CPU or to read its heap after a forced GC. Uses `ws`, which is in node_modules through
 * socket.io-client. Not part of the headline runs (an attached profiler costs a few % of CPU).
 */
export class InspectorProfiler {
  private ws?: WebSocket;
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(readonly name: string) {}

  static urlFromOutput(output: string): string | undefined {
    return /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1];
  }

  async connect(url: string): Promise<this> {
    this.ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      this.ws!.once('open', () => resolve());
      this.ws!.once('error', reject);
    });
    this.ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
      if (msg.id === undefined) return;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new Error(msg.error.message));
      else p.resolve(msg.result);
    });
    return this;
  }

  /** process.memoryUsage() of the inspected process, after a full GC when `gc` is set. */
  async memoryUsage(gc = true): Promise<NodeJS.MemoryUsage> {
    if (gc) await this.call('HeapProfiler.collectGarbage');
    const { result } = (await this.call('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    })) as { result: { value: string } };
    return JSON.parse(result.value) as NodeJS.MemoryUsage;
  }

  close(): void {
    this.ws?.close();
  }

  private call(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws!.send(JSON.stringify({ id, method, params }));
    });
  }

  async start(): Promise<void> {
    await this.call('Profiler.enable');
    await this.call('Profiler.setSamplingInterval', { interval: 500 });
    await this.call('Profiler.start');
  }

  /** Stops, writes the .cpuprofile (open it in Chrome DevTools) and returns a self-time summary. */
  async stop(file: string): Promise<ProfileSummary> {
    const { profile } = (await this.call('Profiler.stop')) as { profile: CpuProfile };
    writeFileSync(file, JSON.stringify(profile));
    this.ws?.close();
    return summarizeProfile(profile);
  }
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  seconds: number;
  /** Share of wall time the thread was busy (not idle). */
  busyPct: number;
  byArea: { area: string; pct: number }[];
  topFunctions: { fn: string; pct: number }[];
}

/** Where a sample's own time is spent: by package / area and by function, as % of the profiled wall time. */
export function summarizeProfile(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = profile.endTime - profile.startTime;
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  let idle = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    const area = areaOf(functionName, url);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const short = url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/');
    const key = `${functionName || '(anonymous)'} ${short ? `${short}:${lineNumber + 1}` : ''}`.trim();
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const pct = (us: number) => Math.round((us / total) * 1000) / 10;
  return {
    seconds: Math.round(total / 1e5) / 10,
    busyPct: pct(total - idle),
    byArea: [...areas].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([area, us]) => ({ area, pct: pct(us) })),
    topFunctions: [...fns].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([fn, us]) => ({ fn, pct: pct(us) })),
  };
}

function areaOf(functionName: string, url: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native / builtin)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const app = /\/dist\/apps\/\w+\/(apps\/\w+|libs\/\w+)\//.exec(url);
  if (app) return app[1];
  return url;
}
