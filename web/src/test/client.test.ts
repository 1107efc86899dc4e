// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError } from '../api/client';

type Call = { url: string; init: RequestInit };

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

function client(responses: Array<Response | Error>, tokens: Array<string | null> = ['t1', 't2', 't3']) {
  const calls: Call[] = [];
  const tokenCalls: Array<{ forceRefresh?: boolean } | undefined> = [];
  const onUnauthorized = vi.fn();
  const fetchMock = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const r = responses.shift();
    if (!r) throw new Error('no more responses');
    if (r instanceof Error) throw r;
    return r;
  });
  const api = new ApiClient({
    baseUrl: 'http://api.test:4567/',
    getToken: async (o) => {
      tokenCalls.push(o);
      return tokens.shift() ?? null;
    },
    onUnauthorized,
    fetch: fetchMock as unknown as typeof fetch,
  });
  return { api, calls, tokenCalls, onUnauthorized };
}

const header = (c: Call, name: string) => new Headers(c.init.headers).get(name);

describe('ApiClient', () => {
  it('sends the bearer token and reads a page with its X-Next-Cursor', async () => {
    const { api, calls } = client([
      json(200, [{ uuid: 'g1', handle: 'bayko', display_name: 'Bayko', message: 'hi', created_at: 'x' }], {
        'X-Next-Cursor': 'abc==',
      }),
    ]);
    const page = await api.listMessageGroups();
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).toBe('abc==');
    expect(calls[0].url).toBe('http://api.test:4567/api/message_groups');
    expect(header(calls[0], 'Authorization')).toBe('Bearer t1');
  });

  it('passes the cursor back unchanged (encoded) and reports the last page as null', async () => {
    const { api, calls } = client([json(200, [])]);
    const page = await api.listMessages('5ae290ed-55d1-47a0-bc6d-fe2bc2700399', { cursor: 'a+b/c=' });
    expect(page.nextCursor).toBeNull();
    const url = new URL(calls[0].url);
    expect(url.pathname).toBe('/api/messages/5ae290ed-55d1-47a0-bc6d-fe2bc2700399');
    expect(url.searchParams.get('cursor')).toBe('a+b/c=');
  });

  it('follows cursors until the last page', async () => {
    const m = (uuid: string) => ({ uuid, handle: 'h', display_name: 'H', message: 'm', created_at: 'x' });
    const { api, calls } = client([
      json(200, [m('3'), m('4')], { 'X-Next-Cursor': 'c1' }),
      json(200, [m('1'), m('2')], { 'X-Next-Cursor': 'c2' }),
      json(200, []),
    ]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { uuid: string }[]; nextCursor: string | null } = await api.listMessages('g', { cursor });
      seen.unshift(...page.items.map((x) => x.uuid));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['1', '2', '3', '4']);
    expect(calls.map((c) => new URL(c.url).searchParams.get('cursor'))).toEqual([null, 'c1', 'c2']);
  });

  it('posts JSON', async () => {
    const created = { uuid: 'm1', message_group_uuid: 'g1', handle: 'me', display_name: 'Me', message: 'yo', created_at: 'x' };
    const { api, calls } = client([json(200, created)]);
    await expect(api.createMessage({ message: 'yo', handle: 'bayko' })).resolves.toEqual(created);
    expect(calls[0].init.method).toBe('POST');
    expect(header(calls[0], 'Content-Type')).toBe('application/json');
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ message: 'yo', handle: 'bayko' });
  });

  it('encodes the handle of a user card and keeps message_group_uuid', async () => {
    const { api, calls } = client([json(200, { uuid: 'u', handle: 'a b', display_name: 'A', message_group_uuid: 'g9' })]);
    const u = await api.getUserShort('a b');
    expect(calls[0].url).toBe('http://api.test:4567/api/users/@a%20b/short');
    expect(u.message_group_uuid).toBe('g9');
  });

  it('on 401 retries once with a force-refreshed token', async () => {
    const { api, calls, tokenCalls, onUnauthorized } = client([json(401, {}), json(200, [])]);
    await api.listMessageGroups();
    expect(calls).toHaveLength(2);
    expect(header(calls[1], 'Authorization')).toBe('Bearer t2');
    expect(tokenCalls).toEqual([undefined, { forceRefresh: true }]);
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('maps a second 401 to unauthorized and tells the app (go to sign-in)', async () => {
    const { api, onUnauthorized } = client([json(401, {}), json(401, {})]);
    await expect(api.listMessageGroups()).rejects.toMatchObject({ kind: 'unauthorized', status: 401 });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('without a session does not call the API at all', async () => {
    const { api, calls, onUnauthorized } = client([], [null]);
    await expect(api.listMessageGroups()).rejects.toMatchObject({ kind: 'unauthorized' });
    expect(calls).toHaveLength(0);
    expect(onUnauthorized).toHaveBeenCalled();
  });

  it('maps 404 to not_found with the codes', async () => {
    const { api } = client([json(404, { errors: ['message_group_not_found'] })]);
    const e = await api.listMessages('nope').catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ kind: 'not_found', status: 404, codes: ['message_group_not_found'] });
  });

  it('maps 422 to invalid with every code the API sent', async () => {
    const { api } = client([json(422, { errors: ['message_blank', 'message_self'] })]);
    await expect(api.createMessage({ message: ' ', handle: 'me' })).rejects.toMatchObject({
      kind: 'invalid',
      codes: ['message_blank', 'message_self'],
    });
  });

  it('maps 400, 503 and 500', async () => {
    const { api } = client([
      json(400, { errors: ['invalid_cursor'] }),
      json(503, { errors: ['messages_unavailable'] }, { 'Retry-After': '1' }),
      new Response('oops', { status: 500 }),
    ]);
    await expect(api.listMessageGroups({ cursor: 'x' })).rejects.toMatchObject({ kind: 'bad_request', codes: ['invalid_cursor'] });
    await expect(api.listMessageGroups()).rejects.toMatchObject({ kind: 'unavailable', codes: ['messages_unavailable'] });
    await expect(api.listMessageGroups()).rejects.toMatchObject({ kind: 'server', status: 500, codes: [] });
  });

  it('maps a failed fetch to network', async () => {
    const { api } = client([new TypeError('Failed to fetch')]);
    await expect(api.listMessageGroups()).rejects.toMatchObject({ kind: 'network', status: 0 });
  });

  it('lets an abort through as an abort', async () => {
    const controller = new AbortController();
    controller.abort();
    const { api } = client([new DOMException('aborted', 'AbortError')]);
    await expect(api.getUserShort('x', controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('uses the page origin when apiUrl is empty', async () => {
    const calls: string[] = [];
    const api = new ApiClient({
      baseUrl: '',
      getToken: async () => 't',
      fetch: (async (u: string) => {
        calls.push(u);
        return json(200, []);
      }) as unknown as typeof fetch,
    });
    await api.listMessageGroups({ limit: 5 });
    expect(calls[0]).toBe('/api/message_groups?limit=5');
  });
});
