import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './wait';

export const REPO_ROOT = join(__dirname, '..', '..');
export const API_MAIN = join(REPO_ROOT, 'dist/apps/api/apps/api/src/main.js');
export const WORKER_MAIN = join(REPO_ROOT, 'dist/apps/worker/apps/worker/src/main.js');

export function assertBuilt(): void {
  for (const file of [API_MAIN, WORKER_MAIN]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm test\` (it builds first) or \`npm run build\``);
  }
}

/** An api or worker of a TestStack, spawned or in the test's own process. */
export interface StackProcess {
  readonly name: string;
  /** What it logged lately (kept for failures, and read by the tests about logs). */
  readonly output: string;
  /** The spawned process's id (benchmarks read its CPU time); undefined in process. */
  readonly pid?: number;
  start(): Promise<void>;
  /** A graceful stop (SIGTERM, or the shutdown hooks in process). */
  stop(): Promise<void>;
  /** A crash: only a spawned process can be killed this way. */
  kill9(): Promise<void>;
}

/** A built Frontline process (api or worker) started for a test; its output is kept for failures. */
export class ManagedProcess implements StackProcess {
  private child?: ChildProcess;
  output = '';

  constructor(
    readonly name: string,
    private readonly main: string,
    private readonly env: Record<string, string>,
    private readonly healthUrl: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    this.child = spawn(process.execPath, [this.main], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    const child = this.child;
    await waitFor(`${this.name} to be ready (${this.healthUrl})\n${this.output}`, async () => {
      if (child.exitCode !== null) throw new Error(`${this.name} exited with ${child.exitCode}:\n${this.output}`);
      const res = await fetch(this.healthUrl).catch(() => null);
      return res?.status === 200;
    }, 30_000, 150);
  }

  /** SIGKILL: no shutdown hooks, no cleanup, like a crash or an OOM kill. */
  async kill9(): Promise<void> {
    await this.signal('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.signal('SIGTERM', 5000);
  }

  private async signal(sig: NodeJS.Signals, graceMs = 0): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(sig);
    if (graceMs) {
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    } else {
      await exited;
    }
  }
}
