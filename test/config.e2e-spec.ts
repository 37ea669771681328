import { spawnSync } from 'node:child_process';
import { API_MAIN, REPO_ROOT, WORKER_MAIN } from './support/processes';

describe('configuration is validated at start', () => {
  it.each([
    ['api', API_MAIN],
    ['worker', WORKER_MAIN],
  ])('%s exits with a message naming each bad or missing variable', (_name, main) => {
    const result = spawnSync(process.execPath, [main], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', FRONTLINE_SKIP_DOTENV: '1', PORT: 'eighty', REDIS_URL: 'http://nope' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toMatch(/Invalid configuration/);
    expect(result.stderr).toMatch(/PORT/);
    expect(result.stderr).toMatch(/REDIS_URL/);
    expect(result.stderr).toMatch(/JWT_SECRET/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // a readable list, not a stack trace
  });
});
