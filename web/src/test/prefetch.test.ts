import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryRouter } from 'react-router-dom';
import { ApiClient } from '../api/client';
import {
  configurePrefetch,
  pathsForRoute,
  prefetch,
  prefetched,
  prefetchesSettled,
  peekPrefetchedPage,
  PREFETCH_TTL_MS,
  takePrefetched,
} from '../api/prefetch';
import { prefetchOnNavigation, ROUTER_FUTURE } from '../App';

const BASE = 'http://api.test';
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

let token: string | null;
let sent: Array<{ url: string; auth: string | null }>;
let answer: (url: string) => Response | Promise<Response>;

beforeEach(() => {
  token = 'tok';
  sent = [];
  answer = () => json(200, []);
  configurePrefetch({
    baseUrl: BASE,
    token: () => token,
    fetch: (async (u: string, init: RequestInit) => {
      sent.push({ url: u, auth: new Headers(init.headers).get('Authorization') });
      return answer(u);
    }) as unknown as typeof fetch,
  });
});
afterEach(() => vi.useRealTimers());

describe('pathsForRoute', () => {
  it('names what each messages page loads first', () => {
    expect(pathsForRoute('/messages')).toEqual(['/api/message_groups']);
    expect(pathsForRoute('/messages/')).toEqual(['/api/message_groups']);
    expect(pathsForRoute('/messages/5ae290ed-55d1-47a0-bc6d-fe2bc2700399')).toEqual([
      '/api/message_groups',
      '/api/messages/5ae290ed-55d1-47a0-bc6d-fe2bc2700399',
    ]);
    expect(pathsForRoute('/messages/a%20b')).toEqual(['/api/message_groups', '/api/messages/a%20b']);
    expect(pathsForRoute('/messages/new/bayko')).toEqual(['/api/message_groups']);
    expect(pathsForRoute('/messages/%E0%A4%A')).toEqual(['/api/message_groups']); // a bad escape: no conversation
    expect(pathsForRoute('/signin')).toEqual([]);
    expect(pathsForRoute('/')).toEqual([]);
  });
});

describe('prefetch', () => {
  it('sends a GET with the usable token, once while it is fresh', async () => {
    prefetch('/api/message_groups');
    prefetch('/api/message_groups');
    expect(sent).toEqual([{ url: `${BASE}/api/message_groups`, auth: 'Bearer tok' }]);
  });

  it('sends nothing without a token usable as it is', () => {
    token = null;
    prefetch('/api/message_groups');
    expect(sent).toEqual([]);
  });

  it('hands the answer to the first GET of the same URL with the same token, once', async () => {
    prefetch('/api/message_groups');
    expect(takePrefetched(`${BASE}/api/message_groups`, 'other')).toBeUndefined(); // another token: dropped
    prefetch('/api/message_groups');
    const p = takePrefetched(`${BASE}/api/message_groups`, 'tok');
    expect((await p)?.status).toBe(200);
    expect(takePrefetched(`${BASE}/api/message_groups`, 'tok')).toBeUndefined();
  });

  it('drops an answer older than PREFETCH_TTL_MS', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    prefetch('/api/message_groups');
    vi.setSystemTime(Date.now() + PREFETCH_TTL_MS);
    expect(takePrefetched(`${BASE}/api/message_groups`, 'tok')).toBeUndefined();
  });

  it('reads a 200 page at once, for a first render (not taken by a peek)', async () => {
    answer = () => json(200, [{ uuid: 'g1' }], { 'X-Next-Cursor': 'c1' });
    prefetch('/api/message_groups');
    expect(peekPrefetchedPage(`${BASE}/api/message_groups`)).toBeUndefined(); // not answered yet
    await prefetchesSettled(1000);
    expect(peekPrefetchedPage(`${BASE}/api/message_groups`)).toEqual({ items: [{ uuid: 'g1' }], nextCursor: 'c1' });
    token = 'refreshed'; // sent with a token no longer the one in use
    expect(peekPrefetchedPage(`${BASE}/api/message_groups`)).toBeUndefined();
    token = 'tok';
    const res = await takePrefetched(`${BASE}/api/message_groups`, 'tok');
    await expect(res!.json()).resolves.toEqual([{ uuid: 'g1' }]); // its body is still there for the client
  });

  it('offers no page for an error answer', async () => {
    answer = () => json(404, { errors: ['message_group_not_found'] });
    prefetch('/api/messages/x');
    await prefetchesSettled(1000);
    expect(peekPrefetchedPage(`${BASE}/api/messages/x`)).toBeUndefined();
    expect((await takePrefetched(`${BASE}/api/messages/x`, 'tok'))?.status).toBe(404);
  });

  it('stops waiting for answers after the timeout', async () => {
    answer = () => new Promise<Response>(() => undefined);
    prefetch('/api/message_groups');
    const t = Date.now();
    await prefetchesSettled(30);
    expect(Date.now() - t).toBeLessThan(1000);
  });
});

describe('the API client with prefetches', () => {
  function client(responses: Response[]) {
    const calls: string[] = [];
    const tokens = ['tok', 'fresh'];
    const api = new ApiClient({
      baseUrl: BASE,
      getToken: async () => tokens.shift() ?? null,
      prefetched,
      fetch: (async (u: string) => {
        calls.push(u);
        return responses.shift()!;
      }) as unknown as typeof fetch,
    });
    return { api, calls };
  }

  it('takes the GET in flight instead of sending its own', async () => {
    answer = () => json(200, [{ uuid: 'm1' }]);
    prefetch('/api/messages/g1');
    const { api, calls } = client([]);
    await expect(api.listMessages('g1')).resolves.toEqual({ items: [{ uuid: 'm1' }], nextCursor: null });
    expect(calls).toEqual([]);
  });

  it('retries a prefetched 401 itself, with a refreshed token', async () => {
    answer = () => json(401, {});
    prefetch('/api/messages/g1');
    const { api, calls } = client([json(200, [{ uuid: 'm1' }])]);
    await expect(api.listMessages('g1')).resolves.toMatchObject({ items: [{ uuid: 'm1' }] });
    expect(calls).toEqual([`${BASE}/api/messages/g1`]);
  });

  it('sends its own request for a later page (a cursor) or another URL', async () => {
    prefetch('/api/messages/g1');
    const { api, calls } = client([json(200, []), json(200, [])]);
    await api.listMessages('g1', { cursor: 'c1' });
    await api.listMessages('g2');
    expect(calls).toEqual([`${BASE}/api/messages/g1?cursor=c1`, `${BASE}/api/messages/g2`]);
  });

  it('gives a page already read to a first render, then forgets it when told', async () => {
    answer = () => json(200, [{ uuid: 'm1' }]);
    prefetch('/api/messages/g1');
    const { api } = client([]);
    expect(api.prefetchedMessages('g1')).toBeNull();
    await prefetchesSettled(1000);
    expect(api.prefetchedMessages('g1')).toEqual({ items: [{ uuid: 'm1' }], nextCursor: null });
    api.forgetPrefetchedMessages('g1');
    expect(api.prefetchedMessages('g1')).toBeNull();
  });
});

describe('prefetchOnNavigation', () => {
  it('starts what the next page loads and the page before did not, as the navigation happens', async () => {
    const router = createMemoryRouter([{ path: '*', element: null }], { initialEntries: ['/signin'], future: ROUTER_FUTURE });
    prefetchOnNavigation(router);
    await router.navigate('/messages');
    expect(sent.map((s) => s.url)).toEqual([`${BASE}/api/message_groups`]);
    await router.navigate('/messages/g1');
    await router.navigate('/messages/g1'); // the same page again: nothing new
    await router.navigate('/messages/g2');
    expect(sent.map((s) => s.url)).toEqual([
      `${BASE}/api/message_groups`,
      `${BASE}/api/messages/g1`,
      `${BASE}/api/messages/g2`,
    ]);
    router.dispose();
  });
});
