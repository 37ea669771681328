import { DISTRICTS } from './support/factories';
import { DEMO_PASSWORD, TestStack } from './support/stack';

/**
 * Wrong passwords are counted per username in Redis (apps/api/src/auth/login-attempts.ts): after
 * ten, sign-in for that username is refused with 429 and Retry-After, on every api instance, even
 * with the right password; other usernames are not affected; a good password clears the count.
 */

function login(apiUrl: string, username: string, password: string): Promise<Response> {
  return fetch(`${apiUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
}

describe('sign-in throttled per username', () => {
  const stack = new TestStack({ apiInstances: 2 });
  beforeAll(() => stack.start(), 90_000);
  afterAll(() => stack.stop());

  it('refuses the right password after ten wrong ones, on both instances, with Retry-After in Vietnamese', async () => {
    const account = DISTRICTS.mongCai.account;
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push((await login(stack.apiUrls[i % 2], account, `wrong-${i}`)).status);
    expect(statuses).toEqual(Array(10).fill(401));

    for (const apiUrl of stack.apiUrls) {
      const refused = await login(apiUrl, account, DEMO_PASSWORD);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await refused.json()) as { message: string }).message).toMatch(
        /Đăng nhập sai quá nhiều lần/,
      );
    }
    // Another account signs in as usual.
    expect((await login(stack.apiUrl, DISTRICTS.haLong.account, DEMO_PASSWORD)).status).toBe(200);
  });

  it('counts unknown usernames too, and a good password clears the count of a known one', async () => {
    for (let i = 0; i < 10; i++)
      expect((await login(stack.apiUrl, 'khong-co.duty', `wrong-${i}`)).status).toBe(401);
    expect((await login(stack.apiUrl, 'khong-co.duty', 'wrong-again')).status).toBe(429);

    const account = DISTRICTS.camPha.account;
    for (let i = 0; i < 9; i++)
      expect((await login(stack.apiUrl, account, `wrong-${i}`)).status).toBe(401);
    expect((await login(stack.apiUrl, account, DEMO_PASSWORD)).status).toBe(200);
    // The count started again: nine more wrong ones still leave the right one through.
    for (let i = 0; i < 9; i++)
      expect((await login(stack.apiUrl, account, `wrong-${i}`)).status).toBe(401);
    expect((await login(stack.apiUrl, account, DEMO_PASSWORD)).status).toBe(200);
  });
});
