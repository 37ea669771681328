import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { TestStack } from './support/stack';

/**
 * The api serves the console's build as a CDN would (apps/api/src/console-static.ts): a hashed
 * asset in the encoding the browser accepts, from the copies the build wrote, cached for a year;
 * index.html revalidated on every load, also as the fallback of the console's routes.
 */
describe('console static files: precompressed hashed assets, revalidated index.html', () => {
  const dist = mkdtempSync(join(tmpdir(), 'fl-console-dist-'));
  const script = `export const answer = ${JSON.stringify('x'.repeat(4000))};\n`;
  const stack = new TestStack({ env: { CONSOLE_DIST: dist } });

  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Frontline</title>');
    const asset = join(dist, 'assets', 'index-AbC123xy.js');
    writeFileSync(asset, script);
    writeFileSync(`${asset}.br`, brotliCompressSync(script));
    writeFileSync(`${asset}.gz`, gzipSync(script));
    // A font the build does not compress.
    writeFileSync(join(dist, 'assets', 'font-Zz9.woff2'), Buffer.from([1, 2, 3, 4]));
    await stack.start();
  }, 60_000);
  afterAll(async () => {
    await stack.stop();
    rmSync(dist, { recursive: true, force: true });
  });

  /** node:http, which (unlike fetch) hands over the body as sent. */
  const get = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      request(`${stack.apiUrl}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
        .on('error', reject)
        .end();
    });

  it.each([
    ['br', 'gzip, deflate, br, zstd', brotliDecompressSync],
    ['gzip', 'gzip, deflate', gunzipSync],
  ] as const)('sends the %s copy to a browser that accepts it, immutable for a year', async (encoding, accept, decode) => {
    const res = await get('/assets/index-AbC123xy.js', { 'Accept-Encoding': accept });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe(encoding);
    expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['vary']).toMatch(/Accept-Encoding/i);
    const body = res.body;
    expect(body.length).toBeLessThan(script.length / 10);
    expect(decode(body).toString()).toBe(script);
  });

  it('sends the file itself when no encoding is accepted, and a file with no copy as it is', async () => {
    const plain = await get('/assets/index-AbC123xy.js', { 'Accept-Encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
    const font = await get('/assets/font-Zz9.woff2', { 'Accept-Encoding': 'br, gzip' });
    expect(font.status).toBe(200);
    expect(font.headers['content-encoding']).toBeUndefined();
    expect(font.headers['content-type']).toBe('font/woff2');
    expect(font.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('serves index.html for the console routes, revalidated on every load', async () => {
    for (const path of ['/', '/cases/clusters', '/dispatch/timeline/task/x']) {
      const res = await get(path, { Accept: 'text/html' });
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body.toString()).toContain('<title>Frontline</title>');
    }
  });

  it('answers 404 for an asset that is not in the build', async () => {
    const res = await get('/assets/missing-123.js', { Accept: '*/*' });
    expect(res.status).toBe(404);
  });
});
