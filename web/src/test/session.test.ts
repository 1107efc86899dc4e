import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../config';

// Amplify's side, counted: the session is to go there only when a token needs a refresh.
const amplifyToken = vi.fn(async (_o?: { forceRefresh?: boolean }) => 'from-amplify' as string | null);
const amplifyUser = vi.fn(async () => ({ sub: 'a', display_name: 'From Amplify', handle: 'amp', email: 'a@x' }));
const amplifySignOut = vi.fn(async () => undefined);
vi.mock('../auth/amplify', () => ({
  getAccessToken: (o?: { forceRefresh?: boolean }) => amplifyToken(o),
  currentUser: () => amplifyUser(),
  doSignOut: () => amplifySignOut(),
}));

const session = await import('../auth/session');

const CLIENT = 'cruddurlocalclient';
const config = parseConfig({ userPoolId: 'us-east-1_cruddur', userPoolClientId: CLIENT });

function jwt(payload: Record<string, unknown>): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'RS256' })}.${b64(payload)}.c2ln`;
}

/** Stores a session the way Amplify v6 does (its keys in localStorage). */
function store(opts: { user?: string; accessExpIn?: number; idExpIn?: number; drift?: number; name?: string; client?: string } = {}) {
  const { user = 'londo-sub', accessExpIn = 3600, idExpIn = 3600, drift = 0, name = 'Londo Mollari', client = CLIENT } = opts;
  const now = Math.floor(Date.now() / 1000);
  const base = `CognitoIdentityServiceProvider.${client}`;
  localStorage.setItem(`${base}.LastAuthUser`, user);
  localStorage.setItem(`${base}.${user}.accessToken`, jwt({ sub: 's1', exp: now + accessExpIn, token_use: 'access' }));
  localStorage.setItem(
    `${base}.${user}.idToken`,
    jwt({ sub: 's1', exp: now + idExpIn, name, preferred_username: 'londo', email: 'lmollari@centari.com' }),
  );
  localStorage.setItem(`${base}.${user}.refreshToken`, 'refresh');
  localStorage.setItem(`${base}.${user}.clockDrift`, String(drift));
  return localStorage.getItem(`${base}.${user}.accessToken`)!;
}

beforeEach(() => {
  localStorage.clear();
  amplifyToken.mockClear();
  amplifyUser.mockClear();
  amplifySignOut.mockClear();
});

describe('the stored session', () => {
  it('is read from Amplify v6 keys: the access token, the user from the ID token (UTF-8 names)', () => {
    const token = store({ name: 'Londo Mollari ☆ Ça' });
    const s = session.readStoredSession(CLIENT, localStorage);
    expect(s?.accessToken).toBe(token);
    expect(s?.user).toEqual({ sub: 's1', display_name: 'Londo Mollari ☆ Ça', handle: 'londo', email: 'lmollari@centari.com' });
  });

  it('is none without LastAuthUser, without either token, or with an unreadable one', () => {
    expect(session.readStoredSession(CLIENT, localStorage)).toBeNull();
    store();
    localStorage.removeItem(`CognitoIdentityServiceProvider.${CLIENT}.londo-sub.idToken`);
    expect(session.readStoredSession(CLIENT, localStorage)).toBeNull();
    store();
    localStorage.setItem(`CognitoIdentityServiceProvider.${CLIENT}.londo-sub.accessToken`, 'not.a-jwt');
    expect(session.readStoredSession(CLIENT, localStorage)).toBeNull();
    expect(session.readStoredSession('otherclient', localStorage)).toBeNull();
  });

  it('expires with the earlier of the two tokens, on the server clock (clockDrift)', () => {
    store({ accessExpIn: 3600, idExpIn: 120 });
    const s = session.readStoredSession(CLIENT, localStorage)!;
    expect(session.isFresh(s)).toBe(true); // 120 s left > the 60 s margin
    expect(session.isFresh(s, Date.now() + 61_000)).toBe(false);
    store({ accessExpIn: 3600, idExpIn: 3600, drift: 3_550_000 }); // the server is ~59 min ahead
    expect(session.isFresh(session.readStoredSession(CLIENT, localStorage)!)).toBe(false);
  });

  it('lists the sessions of every app client', () => {
    store();
    store({ client: 'otherclient', user: 'x' });
    expect([...session.readStoredSessions(localStorage).keys()].sort()).toEqual([CLIENT, 'otherclient']);
  });
});

describe('tokens for the API', () => {
  it('hands out a token with time left from memory, without Amplify', async () => {
    const token = store();
    session.initSession(config);
    expect(session.peekAccessToken()).toBe(token);
    await expect(session.getAccessToken()).resolves.toBe(token);
    expect(session.peekUser()?.display_name).toBe('Londo Mollari');
    await expect(session.currentUser()).resolves.toMatchObject({ handle: 'londo' });
    expect(amplifyToken).not.toHaveBeenCalled();
    expect(amplifyUser).not.toHaveBeenCalled();
  });

  it('keeps the token in memory: storage is read again only when told', async () => {
    const first = store();
    session.initSession(config);
    expect(session.peekAccessToken()).toBe(first);
    const second = store({ accessExpIn: 1800 });
    expect(session.peekAccessToken()).toBe(first);
    session.forgetSession();
    expect(session.peekAccessToken()).toBe(second);
  });

  it('asks Amplify (which refreshes) for a token near its expiry, and reads storage again after', async () => {
    store({ accessExpIn: 30 });
    session.initSession(config);
    expect(session.peekAccessToken()).toBeNull();
    expect(session.peekUser()).toBeNull();
    await expect(session.getAccessToken()).resolves.toBe('from-amplify');
    expect(amplifyToken).toHaveBeenCalledWith(undefined);
    const fresh = store(); // what Amplify stored
    expect(session.peekAccessToken()).toBe(fresh);
  });

  it('always goes to Amplify with forceRefresh (after a 401)', async () => {
    store();
    session.initSession(config);
    await expect(session.getAccessToken({ forceRefresh: true })).resolves.toBe('from-amplify');
    expect(amplifyToken).toHaveBeenCalledWith({ forceRefresh: true });
  });

  it('asks Amplify for the user when there is no usable session', async () => {
    session.initSession(config);
    await expect(session.currentUser()).resolves.toMatchObject({ handle: 'amp' });
    expect(amplifyUser).toHaveBeenCalledTimes(1);
  });

  it('uses what preloadSession read before the configuration came, for the configured client', () => {
    const token = store();
    session.preloadSession();
    localStorage.clear(); // not read again
    session.initSession(config);
    expect(session.peekAccessToken()).toBe(token);
    session.preloadSession();
    session.initSession(parseConfig({ userPoolId: 'us-east-1_cruddur', userPoolClientId: 'otherclient' }));
    expect(session.peekAccessToken()).toBeNull();
  });

  it("drops the in-memory session on another tab's change to Amplify's keys", () => {
    const token = store();
    session.initSession(config);
    expect(session.peekAccessToken()).toBe(token);
    localStorage.clear(); // signed out in another tab
    window.dispatchEvent(new StorageEvent('storage', { key: `CognitoIdentityServiceProvider.${CLIENT}.londo-sub.refreshToken` }));
    expect(session.peekAccessToken()).toBeNull();
  });

  it('signs out through Amplify and forgets the session', async () => {
    store();
    session.initSession(config);
    expect(session.peekUser()).not.toBeNull();
    localStorage.clear(); // what Amplify's signOut does
    await session.signOut();
    expect(amplifySignOut).toHaveBeenCalledTimes(1);
    expect(session.peekUser()).toBeNull();
  });
});
