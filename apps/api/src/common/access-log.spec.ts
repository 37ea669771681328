import { EventEmitter } from 'node:events';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '@frontline/logger';
import { accessLog } from './access-log';

function run(req: Partial<Request>): Record<string, unknown> {
  const lines: Record<string, unknown>[] = [];
  const record = (line: Record<string, unknown>) => lines.push(line);
  const logger = { info: record, debug: record, error: record } as unknown as Logger;
  const res = Object.assign(new EventEmitter(), { statusCode: 200, locals: {}, setHeader: () => undefined });
  accessLog(logger)({ method: 'GET', headers: {}, ...req } as Request, res as unknown as Response, (() => undefined) as NextFunction);
  res.emit('finish');
  return lines[0];
}

describe('access log', () => {
  it("logs a handled request by its route's template, so a feed token in the path stays out of the log", () => {
    const line = run({ path: '/api/v1/calendar/3f9c2a-secret.ics', route: { path: '/api/v1/calendar/:file' } });
    expect(line.path).toBe('/api/v1/calendar/:file');
    expect(JSON.stringify(line)).not.toContain('3f9c2a-secret');
  });

  it('logs the path itself when no route handled the request', () => {
    expect(run({ path: '/assets/index-abc.js' }).path).toBe('/assets/index-abc.js');
  });
});
