// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { backoffDelay, LiveConnection, type LiveStatus } from '../live/connection';
import { SseParser, type SseEvent } from '../live/sse';
import type { MessageInGroup } from '../lib/merge';

describe('SseParser', () => {
  function parse(chunks: string[]) {
    const events: SseEvent[] = [];
    const p = new SseParser((e) => events.push(e));
    for (const c of chunks) p.push(c);
    return { events, p };
  }
  it('parses events split anywhere across chunks, with every line ending', () => {
    const text = 'id: 1\nevent: message\ndata: {"a":1}\n\r\n: keep-alive\r\nevent: heartbeat\rdata:\r\rdata: x\ndata: y\n\n';
    for (let cut = 0; cut <= text.length; cut++) {
      const { events } = parse([text.slice(0, cut), text.slice(cut)]);
      expect(events).toEqual([
        { type: 'message', data: '{"a":1}', lastEventId: '1' },
        { type: 'heartbeat', data: '', lastEventId: '1' },
        { type: 'message', data: 'x\ny', lastEventId: '1' },
      ]);
    }
  });
  it('reads retry, ignores unknown fields and events without data', () => {
    const { events, p } = parse(['retry: 2500\nfoo: bar\nevent: nothing\n\nid: 7\n\n']);
    expect(events).toEqual([]);
    expect(p.retry).toBe(2500);
    expect(p.lastEventId).toBe('7');
  });
  it('drops an unterminated event at the end of the stream', () => {
    const { events, p } = parse(['data: half']);
    p.end();
    p.push('\n\n');
    expect(events).toEqual([]);
  });
});

describe('backoffDelay', () => {
  it('doubles from the base up to the cap, with ±25 % jitter', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, 1000, 30_000, mid))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
    expect(backoffDelay(1, 1000, 30_000, () => 0)).toBe(750);
    expect(backoffDelay(1, 1000, 30_000, () => 1)).toBe(1250);
  });
});

/** A scripted server: each fetch takes the next step. */
type Step =
  | { status: number; contentType?: string }
  | { stream: string[]; keepOpen?: boolean }
  | { fail: true };

function msg(uuid: string, group = 'g1'): MessageInGroup {
  return {
    message_group_uuid: group,
    uuid,
    handle: 'bayko',
    display_name: 'Bayko',
    message: `text ${uuid}`,
    created_at: '2026-03-10T12:00:00.000000+00:00',
  };
}
const ev = (id: string, m: MessageInGroup) => `id: ${id}\nevent: message\ndata: ${JSON.stringify(m)}\n\n`;

function harness(steps: Step[], extra: Partial<ConstructorParameters<typeof LiveConnection>[0]> = {}) {
  const requests: Array<{ headers: Headers }> = [];
  const delays: number[] = [];
  const messages: MessageInGroup[] = [];
  const statuses: LiveStatus[] = [];
  const tokenCalls: Array<{ forceRefresh?: boolean } | undefined> = [];
  const onRefresh = vi.fn();
  const onUnauthorized = vi.fn();
  let conn!: LiveConnection;
  const fetchMock = async (_url: string, init: RequestInit) => {
    requests.push({ headers: new Headers(init.headers) });
    const step = steps.shift();
    if (!step) {
      conn.stop(); // script over
      throw new Error('stopped');
    }
    if ('fail' in step) throw new TypeError('Failed to fetch');
    if ('status' in step) {
      return new Response('{}', { status: step.status, headers: { 'Content-Type': step.contentType ?? 'application/json' } });
    }
    const enc = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const c of step.stream) controller.enqueue(enc.encode(c));
        if (!step.keepOpen) controller.close();
        else init.signal?.addEventListener('abort', () => controller.error(new Error('aborted')));
      },
    });
    return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream; charset=utf-8' } });
  };
  conn = new LiveConnection({
    url: 'http://api.test/api/events',
    getToken: async (o) => {
      tokenCalls.push(o);
      return 'tok';
    },
    onMessage: (m) => messages.push(m),
    onRefresh,
    onUnauthorized,
    onStatus: (s) => statuses.push(s),
    fetch: fetchMock as unknown as typeof fetch,
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0.5,
    ...extra,
  });
  return { conn, requests, delays, messages, statuses, tokenCalls, onRefresh, onUnauthorized };
}

describe('LiveConnection', () => {
  it('delivers message events with the bearer token and the event-stream Accept', async () => {
    const h = harness([{ stream: [ev('1', msg('m1')), 'event: heartbeat\ndata: {}\n\n', ev('2', msg('m2'))] }]);
    await h.conn.start();
    expect(h.messages.map((m) => m.uuid)).toEqual(['m1', 'm2']);
    expect(h.requests[0].headers.get('Authorization')).toBe('Bearer tok');
    expect(h.requests[0].headers.get('Accept')).toBe('text/event-stream');
    expect(h.requests[0].headers.get('Last-Event-ID')).toBeNull();
    expect(h.conn.lastEventId).toBe('2');
    expect(h.statuses).toContain('open');
  });

  it('reconnects after the stream ends and resumes with Last-Event-ID', async () => {
    const h = harness([{ stream: [ev('41', msg('m1'))] }, { stream: [ev('42', msg('m2'))] }]);
    await h.conn.start();
    expect(h.requests).toHaveLength(3);
    expect(h.requests[1].headers.get('Last-Event-ID')).toBe('41');
    expect(h.requests[2].headers.get('Last-Event-ID')).toBe('42');
    expect(h.messages.map((m) => m.uuid)).toEqual(['m1', 'm2']);
    expect(h.statuses).toContain('reconnecting');
    expect(h.onRefresh).not.toHaveBeenCalled(); // resumed: nothing to reload
  });

  it('drops a message replayed after a resume (dedupe by uuid)', async () => {
    const h = harness([
      { stream: [ev('1', msg('m1')), ev('2', msg('m2'))] },
      { stream: [ev('2', msg('m2')), ev('3', msg('m3')), ev('3', msg('m3'))] },
    ]);
    await h.conn.start();
    expect(h.messages.map((m) => m.uuid)).toEqual(['m1', 'm2', 'm3']);
  });

  it('backs off exponentially while connecting fails, and starts over after a good connection', async () => {
    const h = harness([
      { fail: true },
      { fail: true },
      { status: 500 },
      { status: 200, contentType: 'text/html' },
      { stream: [ev('1', msg('m1'))] },
      { fail: true },
    ], { pollIntervalMs: 60_000 });
    await h.conn.start();
    // failed attempts 1..4, then a stream that delivered (back to 1), then a failure (2)
    expect(h.delays).toEqual([1000, 2000, 4000, 8000, 1000, 2000]);
    expect(h.conn.reconnects).toBe(6);
  });

  it('polls while the stream keeps failing (a failed CORS preflight looks like a network error), then goes live', async () => {
    const h = harness([{ fail: true }, { fail: true }, { fail: true }, { stream: [ev('1', msg('m1'))] }], { pollIntervalMs: 1500 });
    await h.conn.start();
    // 1 s back-off; then 2 s and 4 s waits cut into poll intervals, each followed by a refresh
    expect(h.delays).toEqual([1000, 1500, 500, 1500, 1500, 1000, 1000]);
    expect(h.onRefresh).toHaveBeenCalledTimes(5);
    expect(h.statuses).toEqual([
      'connecting',
      'reconnecting',
      'polling',
      'reconnecting',
      'polling',
      'reconnecting',
      'open',
      'reconnecting',
      'stopped',
    ]);
    expect(h.messages.map((m) => m.uuid)).toEqual(['m1']);
  });

  it('uses the server retry: field as the base delay', async () => {
    const h = harness([{ stream: ['retry: 3000\n\n'] }, { fail: true }], { pollIntervalMs: 60_000 });
    await h.conn.start();
    expect(h.delays).toEqual([3000, 6000]);
  });

  it('asks for a refresh when it reconnects with nothing to resume from, and on reset', async () => {
    const h = harness([{ stream: ['event: heartbeat\ndata: {}\n\n'] }, { stream: ['event: reset\ndata: {}\n\n'] }]);
    await h.conn.start();
    expect(h.onRefresh).toHaveBeenCalledTimes(2); // the reconnect without an id, then the reset event
  });

  it('ignores malformed message events', async () => {
    const h = harness([{ stream: ['event: message\ndata: not json\n\n', 'event: message\ndata: {"uuid":"x"}\n\n', ev('1', msg('ok'))] }]);
    await h.conn.start();
    expect(h.messages.map((m) => m.uuid)).toEqual(['ok']);
  });

  it('falls back to polling when the endpoint answers 404', async () => {
    let ticks = 0;
    const h = harness([{ status: 404 }], {
      pollIntervalMs: 4000,
      sleep: async (ms) => {
        h.delays.push(ms);
        if (++ticks === 3) h.conn.stop();
      },
    });
    await h.conn.start();
    expect(h.statuses).toContain('polling');
    expect(h.delays).toEqual([4000, 4000, 4000]);
    expect(h.onRefresh).toHaveBeenCalledTimes(2); // the third sleep was cut short by stop()
    expect(h.requests).toHaveLength(1); // no more stream attempts
  });

  it('on 401 retries with a refreshed token, then gives up and reports it', async () => {
    const h = harness([{ status: 401 }, { status: 401 }]);
    await h.conn.start();
    expect(h.tokenCalls).toEqual([undefined, { forceRefresh: true }]);
    expect(h.onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('a 401 cured by a refresh carries on', async () => {
    const h = harness([{ status: 401 }, { stream: [ev('1', msg('m1'))] }]);
    await h.conn.start();
    expect(h.messages).toHaveLength(1);
    expect(h.onUnauthorized).not.toHaveBeenCalled();
  });

  it('treats a silent connection as dead after the idle timeout and reconnects', async () => {
    const h = harness([{ stream: [ev('5', msg('m1'))], keepOpen: true }, { stream: [] }], { idleTimeoutMs: 30 });
    await h.conn.start();
    expect(h.requests.length).toBeGreaterThanOrEqual(2);
    expect(h.requests[1].headers.get('Last-Event-ID')).toBe('5');
  });

  it('stop() ends an open stream and the loop', async () => {
    const h = harness([{ stream: [ev('1', msg('m1'))], keepOpen: true }]);
    const done = h.conn.start();
    await vi.waitFor(() => expect(h.messages).toHaveLength(1));
    h.conn.stop();
    await done;
    expect(h.conn.currentStatus).toBe('stopped');
    expect(h.requests).toHaveLength(1);
  });

  it('remembers a bounded number of uuids', () => {
    const h = harness([], { dedupeWindow: 2 });
    expect(h.conn.markSeen('a')).toBe(true);
    expect(h.conn.markSeen('a')).toBe(false);
    h.conn.markSeen('b');
    h.conn.markSeen('c'); // forgets a
    expect(h.conn.markSeen('a')).toBe(true);
  });
});
