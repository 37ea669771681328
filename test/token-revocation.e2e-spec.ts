import type { LoginResponse } from '@frontline/contracts';
import { DISTRICTS } from './support/factories';
import { LiveClient } from './support/live-client';
import { DEMO_PASSWORD, TestStack } from './support/stack';
import { waitFor } from './support/wait';

const TOKEN_SECONDS = 4;

/**
 * No token outlives its account, no socket outlives its token (issue 15, High 2): a disabled
 * account's token is refused at its next request and its socket closed; so are those of an
 * account whose role changed; a socket is closed when its token expires.
 */
describe('token revocation and socket expiry', () => {
  const stack = new TestStack({ env: { JWT_TTL_SECONDS: String(TOKEN_SECONDS), LIVE_ACCOUNT_CHECK_MS: '200' } });
  beforeAll(async () => {
    await stack.start();
    await stack.createAccount('revoked.duty', 'duty-officer', DISTRICTS.mongCai.code);
    await stack.createAccount('demoted.duty', 'duty-officer', DISTRICTS.mongCai.code);
    await stack.createAccount('expiring.duty', 'duty-officer', DISTRICTS.mongCai.code);
  }, 90_000);
  afterAll(() => stack.stop());

  /** A fresh token (the stack's cache would hand out tokens that expire within the test). */
  const login = async (username: string): Promise<string> => {
    const res = await fetch(`${stack.apiUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: DEMO_PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
    return ((await res.json()) as LoginResponse).accessToken;
  };
  const unitsWith = async (token: string) =>
    (await fetch(`${stack.apiUrl}/api/v1/units`, { headers: { authorization: `Bearer ${token}` } })).status;

  it('a disabled account: its token gets 401 at the next request, its socket is closed', async () => {
    const token = await login('revoked.duty');
    const socket = await new LiveClient(stack.apiUrl, token).connect();
    expect(await unitsWith(token)).toBe(200);

    await stack.db.query(`UPDATE users SET active = false WHERE username = 'revoked.duty'`);
    expect(await unitsWith(token)).toBe(401);
    await waitFor('the disabled account’s socket to be closed', () => socket.socket.disconnected, 5_000, 20);
    // Nor can it open a new one.
    await expect(new LiveClient(stack.apiUrl, token).connect()).rejects.toThrow(/unauthorized/);

    // Enabled again, the old token stays dead: only a new login works.
    await stack.db.query(`UPDATE users SET active = true WHERE username = 'revoked.duty'`);
    expect(await unitsWith(token)).toBe(401);
    expect(await unitsWith(await login('revoked.duty'))).toBe(200);
  });

  it('a role change: the old token gets 401 and its socket is closed', async () => {
    const token = await login('demoted.duty');
    const socket = await new LiveClient(stack.apiUrl, token).connect();
    const other = await new LiveClient(stack.apiUrl, await login('expiring.duty')).connect();
    await stack.db.query(`UPDATE users SET role = 'field-team' WHERE username = 'demoted.duty'`);
    expect(await unitsWith(token)).toBe(401);
    await waitFor('the changed account’s socket to be closed', () => socket.socket.disconnected, 5_000, 20);
    // Another account's socket on the same instance stays.
    expect(other.socket.connected).toBe(true);
    other.disconnect();
  });

  it('a socket is closed when its token expires, and the token is refused after', async () => {
    const token = await login('expiring.duty');
    const expiresAt = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp * 1000;
    const socket = await new LiveClient(stack.apiUrl, token).connect();
    expect(socket.socket.connected).toBe(true);
    await waitFor('the socket to be closed at its token’s expiry', () => socket.socket.disconnected, (TOKEN_SECONDS + 3) * 1000, 20);
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt - 50);
    expect(await unitsWith(token)).toBe(401);
  });
});
