// API reads started before the page that needs them has rendered: at
// start-up (main.tsx, as soon as the configuration is known, while the app's
// code is still loading) and on a navigation (App.tsx, before React renders
// the new route). The API client's first matching GET (same URL, same token)
// takes the request in flight instead of sending its own; its answer is then
// handled as any other (a 401 refreshes the token and retries, and so on).
//
// Only with a token usable as it is (auth/session.ts): a prefetch never waits
// for Amplify, and one the client does not take within PREFETCH_TTL_MS is
// dropped (its answer is then too old to show).
import { joinUrl, messagesPath, type Prefetched } from './client';

export const PREFETCH_TTL_MS = 10_000;

/** A list page as the API answered it (200), read: the JSON array and X-Next-Cursor. */
export interface ReadyPage {
  items: unknown[];
  nextCursor: string | null;
}

interface Entry {
  token: string;
  at: number;
  response: Promise<Response>;
  /** Set once a 200 answer with a JSON array has been read. */
  ready?: ReadyPage;
  /** Resolves when the answer has been read (or has failed). */
  settled: Promise<void>;
}

const inflight = new Map<string, Entry>();

let baseUrl: string | null = null;
let tokenSource: () => string | null = () => null;
let fetchImpl: typeof fetch = (input, init) => globalThis.fetch(input, init);

/**
 * Sets where prefetches go: the API's origin (config.apiUrl), a synchronous
 * source of a usable token (auth/session.ts peekAccessToken; null: no
 * prefetch) and, for tests, fetch.
 */
export function configurePrefetch(options: { baseUrl: string; token: () => string | null; fetch?: typeof fetch }): void {
  baseUrl = options.baseUrl;
  tokenSource = options.token;
  if (options.fetch) fetchImpl = options.fetch;
  inflight.clear();
}

/** The API paths a page shows first, by its location: the conversation list, and the open conversation's first page. */
export function pathsForRoute(pathname: string): string[] {
  const m = /^\/messages(?:\/([^/]+))?\/?$/.exec(pathname);
  if (!m) return /^\/messages\/new\/[^/]+\/?$/.test(pathname) ? ['/api/message_groups'] : [];
  const paths = ['/api/message_groups'];
  if (m[1]) {
    let uuid: string;
    try {
      uuid = decodeURIComponent(m[1]);
    } catch {
      return paths;
    }
    paths.push(messagesPath(uuid));
  }
  return paths;
}


function fresh(e: Entry | undefined, now = Date.now()): e is Entry {
  return e !== undefined && now - e.at < PREFETCH_TTL_MS;
}

/**
 * Starts GET `path` now unless one is in flight or no token is usable as it
 * is. A 200 answer is read at once (a copy; the API client reads its own), so
 * that a page rendered after it arrived can show it from its first render.
 */
export function prefetch(path: string): void {
  if (baseUrl === null) return;
  const url = joinUrl(baseUrl, path);
  const now = Date.now();
  if (fresh(inflight.get(url), now)) return;
  const token = tokenSource();
  if (!token) return;
  const response = fetchImpl(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
  const entry: Entry = { token, at: now, response, settled: Promise.resolve() };
  entry.settled = response
    .then(async (res) => {
      if (res.status !== 200) return;
      const body: unknown = await res.clone().json();
      if (Array.isArray(body)) entry.ready = { items: body, nextCursor: res.headers.get('X-Next-Cursor') || null };
    })
    .catch(() => undefined); // the API client sees the failure when it takes the answer
  inflight.set(url, entry);
}

/**
 * The prefetched answer to GET `url` sent with `token`, once: undefined when
 * there is none, it is older than PREFETCH_TTL_MS, or it went with another token.
 */
export function takePrefetched(url: string, token: string): Promise<Response> | undefined {
  const e = inflight.get(url);
  if (!e) return undefined;
  inflight.delete(url);
  if (e.token !== token || !fresh(e)) return undefined;
  return e.response;
}

/**
 * The page GET `url` answered, if a prefetch sent with the token usable now
 * (the one the API client would send) has it already read; undefined
 * otherwise. Does not take it: forgetPrefetched once it is shown.
 */
export function peekPrefetchedPage(url: string): ReadyPage | undefined {
  const e = inflight.get(url);
  if (!fresh(e) || !e.ready || e.token !== tokenSource()) return undefined;
  return e.ready;
}

/** Drops the prefetch of `url` (its page has been shown from peekPrefetchedPage). */
export function forgetPrefetched(url: string): void {
  inflight.delete(url);
}

/** Resolves when every prefetch in flight has been answered and read (or failed), or after `timeoutMs`. */
export function prefetchesSettled(timeoutMs: number): Promise<void> {
  const pending = [...inflight.values()].map((e) => e.settled);
  if (!pending.length) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const t = setTimeout(resolve, timeoutMs);
    void Promise.all(pending).then(() => {
      clearTimeout(t);
      resolve();
    });
  });
}

/** This module as the API client's `prefetched` option. */
export const prefetched: Prefetched = { take: takePrefetched, peekPage: peekPrefetchedPage, forget: forgetPrefetched };
