// The signed-in session as the app uses it, without aws-amplify on the way:
// the tokens Amplify keeps in localStorage, read synchronously and kept in
// memory, so that an API call (or the start-up's first ones) gets its access
// token at once. Amplify (./amplify.ts, its own chunk) is loaded only to
// refresh a token near its expiry, after a 401, and for the sign-in pages and
// sign-out; every answer it gives drops the in-memory copy, which is then read
// again from storage.
//
// Amplify v6 stores a Cognito user pool session in its default storage,
// localStorage, under CognitoIdentityServiceProvider.<client id>.LastAuthUser
// (the user name) and CognitoIdentityServiceProvider.<client id>.<user name>.
// accessToken / .idToken / .refreshToken / .clockDrift (ms, the server's clock
// minus ours at sign-in). The keys are the ones amazon-cognito-identity-js used
// before it: a stable format, which Amplify reads back itself on start.
import type { CruddurConfig } from '../config';

export interface CurrentUser {
  sub: string;
  display_name: string;
  handle: string;
  email: string;
}

/** A session as read from storage: the access token and the user it names. */
export interface StoredSession {
  accessToken: string;
  /** When the access token or the ID token expires (the earlier), in ms of the server's clock. */
  expiresAt: number;
  /** Server clock minus ours, ms (Amplify's clockDrift). */
  clockDrift: number;
  user: CurrentUser;
}

/**
 * A token is used as it is only with more than this left; nearer its end it
 * is refreshed first (through Amplify), so that a request never leaves with a
 * token that dies on the way.
 */
export const REFRESH_MARGIN_MS = 60_000;

const KEY_PREFIX = 'CognitoIdentityServiceProvider';

/** The payload of a JWT (not verified: the API verifies; we only read exp and names), or null. */
export function jwtPayload(jwt: string): Record<string, unknown> | null {
  const parts = jwt.split('.');
  if (parts.length !== 3) return null;
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(b64.padEnd(Math.ceil(b64.length / 4) * 4, '='));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    const payload: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The user named by an ID token's claims. */
export function userFromClaims(claims: Record<string, unknown>): CurrentUser {
  const s = (k: string) => (typeof claims[k] === 'string' ? (claims[k] as string) : '');
  return {
    sub: s('sub'),
    display_name: s('name') || s('preferred_username') || s('email'),
    handle: s('preferred_username'),
    email: s('email'),
  };
}

/**
 * The session Amplify stored for app client `clientId`, or null when there is
 * none or it is unreadable (then Amplify decides). Does not look at expiry.
 */
export function readStoredSession(clientId: string, storage: Pick<Storage, 'getItem'>): StoredSession | null {
  try {
    const base = `${KEY_PREFIX}.${clientId}`;
    const username = storage.getItem(`${base}.LastAuthUser`);
    if (!username) return null;
    const accessToken = storage.getItem(`${base}.${username}.accessToken`);
    const idToken = storage.getItem(`${base}.${username}.idToken`);
    if (!accessToken || !idToken) return null;
    const access = jwtPayload(accessToken);
    const id = jwtPayload(idToken);
    if (!access || !id || typeof access.exp !== 'number' || typeof id.exp !== 'number') return null;
    const drift = Number.parseInt(storage.getItem(`${base}.${username}.clockDrift`) ?? '0', 10);
    return {
      accessToken,
      expiresAt: Math.min(access.exp, id.exp) * 1000,
      clockDrift: Number.isFinite(drift) ? drift : 0,
      user: userFromClaims(id),
    };
  } catch {
    return null; // storage unavailable (privacy settings)
  }
}

/** True when `s` has more than REFRESH_MARGIN_MS left at `now` (our clock). */
export function isFresh(s: StoredSession, now = Date.now()): boolean {
  return s.expiresAt - (now + s.clockDrift) > REFRESH_MARGIN_MS;
}

/**
 * Every session Amplify stored, by app client id (normally one): what
 * readStoredSession gives for each client id that has a LastAuthUser.
 */
export function readStoredSessions(storage: Pick<Storage, 'getItem' | 'key' | 'length'>): Map<string, StoredSession> {
  const sessions = new Map<string, StoredSession>();
  try {
    for (let i = 0; i < storage.length; i++) {
      const m = /^CognitoIdentityServiceProvider\.([^.]+)\.LastAuthUser$/.exec(storage.key(i) ?? '');
      const s = m && readStoredSession(m[1], storage);
      if (m && s) sessions.set(m[1], s);
    }
  } catch {
    // storage unavailable: no session
  }
  return sessions;
}

// --- The app's session: one per page.

let clientId: string | null = null;
let authConfig: CruddurConfig | null = null;
/** The session read from storage; undefined: to be read again. */
let cached: StoredSession | null | undefined;
/** Sessions read by preloadSession, before the client id was known; null: none read or dropped. */
let preloaded: Map<string, StoredSession> | null = null;
let listening = false;
let amplify: Promise<typeof import('./amplify')> | null = null;

/** Drops what was read when another tab signs in or out or refreshes (a storage event on Amplify's keys). */
function listen(): void {
  if (listening || typeof window === 'undefined') return;
  listening = true;
  window.addEventListener('storage', (e) => {
    if (e.key === null || e.key.startsWith(`${KEY_PREFIX}.`)) {
      cached = undefined;
      preloaded = null;
    }
  });
}

/**
 * Reads the stored sessions now, while the configuration (which names the
 * app client) is still on its way: the first read of localStorage in a page
 * is the slow one. initSession then takes the configured client's.
 */
export function preloadSession(): void {
  const s = storage();
  if (!s) return;
  listen();
  preloaded = readStoredSessions(s);
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/**
 * Starts the session for `config` (at start-up, before anything asks for a
 * token), with what preloadSession read if it was called. Another tab's
 * sign-in, sign-out or refresh (a storage event on Amplify's keys) drops the
 * in-memory copy.
 */
export function initSession(config: CruddurConfig): void {
  authConfig = config;
  clientId = config.userPoolClientId;
  cached = preloaded ? (preloaded.get(clientId) ?? null) : undefined;
  preloaded = null;
  listen();
}

/** The configuration given to initSession (Amplify is configured with it when loaded). */
export function sessionConfig(): CruddurConfig | null {
  return authConfig;
}

/** Forget the in-memory session: the next use reads storage again (after Amplify changed it). */
export function forgetSession(): void {
  cached = undefined;
}

function session(): StoredSession | null {
  if (cached === undefined) {
    const s = storage();
    cached = clientId && s ? readStoredSession(clientId, s) : null;
  }
  return cached;
}

/** The stored session if it can be used as it is now (no refresh needed), else null. Synchronous. */
export function freshSession(): StoredSession | null {
  const s = session();
  return s && isFresh(s) ? s : null;
}

/** An access token usable now without asking Amplify, or null. Synchronous. */
export function peekAccessToken(): string | null {
  return freshSession()?.accessToken ?? null;
}

/** The signed-in user if the session is usable now without asking Amplify, or null. Synchronous. */
export function peekUser(): CurrentUser | null {
  return freshSession()?.user ?? null;
}

/** aws-amplify, loaded (once) and configured on first use. */
export function loadAmplify(): Promise<typeof import('./amplify')> {
  amplify ??= import('./amplify').catch((e: unknown) => {
    amplify = null; // a failed chunk load is tried again next time
    throw e;
  });
  return amplify;
}

/**
 * An access token for the API: the stored one while it has more than
 * REFRESH_MARGIN_MS left, else (and always with forceRefresh, after a 401)
 * one from Amplify, which refreshes it. null: not signed in.
 */
export async function getAccessToken(options?: { forceRefresh?: boolean }): Promise<string | null> {
  if (!options?.forceRefresh) {
    const token = peekAccessToken();
    if (token) return token;
  }
  const a = await loadAmplify();
  try {
    return await a.getAccessToken(options);
  } finally {
    forgetSession(); // Amplify may have stored new tokens, or cleared them
  }
}

/** The signed-in user: from the stored session when usable as it is, else from Amplify (refreshing); null when signed out. */
export async function currentUser(): Promise<CurrentUser | null> {
  const user = peekUser();
  if (user) return user;
  const a = await loadAmplify();
  try {
    return await a.currentUser();
  } finally {
    forgetSession();
  }
}

/** Signs out through Amplify (revoking the refresh token where the pool can) and forgets the session. */
export async function signOut(): Promise<void> {
  try {
    await (await loadAmplify()).doSignOut();
  } finally {
    forgetSession();
  }
}
