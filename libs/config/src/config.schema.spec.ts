import { ConfigError, parseConfig } from './config.schema';

const valid = { JWT_SECRET: 'x'.repeat(32) };

describe('parseConfig', () => {
  it('fills defaults into a typed object', () => {
    const config = parseConfig(valid);
    expect(config.PORT).toBe(3000);
    expect(config.REDIS_PREFIX).toBe('fl:');
    expect(config.WORKER_HEALTH_PORT).toBe(3001);
  });

  it('runs the roster check every 5 minutes by default; 0 turns it off; below 100 ms is refused', () => {
    expect(parseConfig(valid).ROSTER_CHECK_INTERVAL_MS).toBe(300_000);
    expect(parseConfig({ ...valid, ROSTER_CHECK_INTERVAL_MS: '0' }).ROSTER_CHECK_INTERVAL_MS).toBe(0);
    expect(() => parseConfig({ ...valid, ROSTER_CHECK_INTERVAL_MS: '50' })).toThrow(/ROSTER_CHECK_INTERVAL_MS/);
  });

  it('reads task deadlines per priority, with defaults, naming a bad entry', () => {
    expect(parseConfig(valid).DISPATCH_ACK_DEADLINES).toEqual({ critical: 300, high: 900, normal: 1800, low: 3600 });
    expect(
      parseConfig({ ...valid, DISPATCH_ACK_DEADLINES: 'critical=2, high=4,normal=5,low=600' }).DISPATCH_ACK_DEADLINES,
    ).toEqual({ critical: 2, high: 4, normal: 5, low: 600 });
    expect(() => parseConfig({ ...valid, DISPATCH_FINISH_DEADLINES: 'critical=0,high=1,normal=1,low=1' })).toThrow(
      /DISPATCH_FINISH_DEADLINES.*critical=0/,
    );
    expect(() => parseConfig({ ...valid, DISPATCH_ACK_DEADLINES: 'critical=5' })).toThrow(/DISPATCH_ACK_DEADLINES/);
  });

  it('names every bad or missing variable', () => {
    let error: unknown;
    try {
      parseConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/DATABASE_URL/);
    expect(message).toMatch(/JWT_SECRET/);
  });

  it('takes an optional http(s) basemap style URL and names a bad one', () => {
    expect(parseConfig(valid).FRONTLINE_BASEMAP_STYLE_URL).toBeUndefined();
    expect(parseConfig({ ...valid, FRONTLINE_BASEMAP_STYLE_URL: 'https://tiles.example.org/style.json' }).FRONTLINE_BASEMAP_STYLE_URL).toBe(
      'https://tiles.example.org/style.json',
    );
    expect(() => parseConfig({ ...valid, FRONTLINE_BASEMAP_STYLE_URL: 'not a url' })).toThrow(/FRONTLINE_BASEMAP_STYLE_URL/);
    expect(() => parseConfig({ ...valid, FRONTLINE_BASEMAP_STYLE_URL: 'file:///etc/passwd' })).toThrow(/FRONTLINE_BASEMAP_STYLE_URL/);
  });

  it('rejects a short JWT secret', () => {
    expect(() => parseConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET: must be at least 32/);
  });
});
