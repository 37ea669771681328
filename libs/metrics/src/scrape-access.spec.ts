import { mayScrape } from './scrape-access';

describe('mayScrape', () => {
  const token = 'scrape-token-0123456789';

  it('lets anyone scrape when no token is configured', () => {
    expect(mayScrape(undefined, undefined)).toBe(true);
    expect(mayScrape('Bearer anything', undefined)).toBe(true);
  });

  it('asks for exactly the configured bearer token otherwise', () => {
    expect(mayScrape(`Bearer ${token}`, token)).toBe(true);
    expect(mayScrape(undefined, token)).toBe(false);
    expect(mayScrape(token, token)).toBe(false);
    expect(mayScrape(`Bearer ${token}x`, token)).toBe(false);
    expect(mayScrape('Bearer short', token)).toBe(false);
  });
});
