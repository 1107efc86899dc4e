// The live event stream: GET /api/events (Server-Sent Events) read with fetch,
// because EventSource cannot send the bearer token. Reconnects with
// exponential back-off and resumes with Last-Event-ID; drops duplicate
// messages; falls back to polling when the server has no such endpoint (404).
// The wire format is documented in web/README.md.
import type { MessageInGroup } from '../lib/merge';
import { SseParser, type SseEvent } from './sse';

/** Failed attempts in a row after which the client polls while it keeps retrying the stream. */
export const POLL_WHILE_DOWN_AFTER = 2;

export type LiveStatus = 'connecting' | 'open' | 'reconnecting' | 'polling' | 'stopped';

export interface LiveOptions {
  /** Full URL of the stream, e.g. http://localhost:4567/api/events. */
  url: string;
  getToken: (options?: { forceRefresh?: boolean }) => Promise<string | null>;
  /** A new message in one of my conversations (each uuid once). */
  onMessage: (message: MessageInGroup) => void;
  /**
   * Something may have been missed (a reconnect without a resume point, the
   * server's `reset` event) or it is time to poll: reload what is shown.
   */
  onRefresh: () => void;
  onStatus?: (status: LiveStatus) => void;
  /** The token was refused even after a refresh. */
  onUnauthorized?: () => void;
  fetch?: typeof fetch;
  /** Waits `ms` (resolves early, without error, when `signal` aborts). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  pollIntervalMs?: number;
  /** No bytes (not even a heartbeat) for this long: the connection is dead. */
  idleTimeoutMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How many message uuids are remembered for de-duplication. */
  dedupeWindow?: number;
}

const defaultSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });

/** The back-off before reconnect attempt `attempt` (1, 2, ...): base·2^(n−1), capped, with jitter of ±25 %. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.75 + random() * 0.5));
}

function isLiveMessage(x: unknown): x is MessageInGroup {
  if (!x || typeof x !== 'object') return false;
  const o = x as Record<string, unknown>;
  return ['message_group_uuid', 'uuid', 'handle', 'display_name', 'message', 'created_at'].every(
    (k) => typeof o[k] === 'string',
  );
}

export class LiveConnection {
  private readonly opts: Required<Omit<LiveOptions, 'onStatus' | 'onUnauthorized'>> &
    Pick<LiveOptions, 'onStatus' | 'onUnauthorized'>;
  private readonly stopController = new AbortController();
  private seen = new Set<string>();
  private running = false;
  private status: LiveStatus = 'stopped';
  /** The id of the last event received: sent as Last-Event-ID on reconnect. */
  lastEventId = '';
  /** Reconnects so far (for tests and diagnostics). */
  reconnects = 0;

  constructor(options: LiveOptions) {
    this.opts = {
      fetch: (input, init) => globalThis.fetch(input, init),
      sleep: defaultSleep,
      random: Math.random,
      pollIntervalMs: 5000,
      idleTimeoutMs: 45_000,
      minBackoffMs: 1000,
      maxBackoffMs: 30_000,
      dedupeWindow: 1000,
      ...options,
    };
  }

  get currentStatus(): LiveStatus {
    return this.status;
  }

  /** Starts the loop; the promise settles when stopped. */
  start(): Promise<void> {
    if (this.running) return Promise.resolve();
    this.running = true;
    return this.run().finally(() => {
      this.running = false;
      this.setStatus('stopped');
    });
  }

  stop(): void {
    this.stopController.abort();
  }

  private get stopped() {
    return this.stopController.signal.aborted;
  }

  private setStatus(s: LiveStatus) {
    if (s === this.status) return;
    this.status = s;
    this.opts.onStatus?.(s);
  }

  /** Remembers a message uuid; false when it was seen before. */
  markSeen(uuid: string): boolean {
    if (this.seen.has(uuid)) return false;
    this.seen.add(uuid);
    if (this.seen.size > this.opts.dedupeWindow) {
      const oldest = this.seen.values().next().value as string;
      this.seen.delete(oldest);
    }
    return true;
  }

  private async run(): Promise<void> {
    let attempt = 0; // failed attempts in a row
    let authFailures = 0;
    let everOpened = false;
    let serverRetry: number | null = null;
    while (!this.stopped) {
      this.setStatus(everOpened || attempt > 0 ? 'reconnecting' : 'connecting');
      const outcome = await this.connectOnce(authFailures > 0, everOpened, (ms) => (serverRetry = ms));
      if (this.stopped) return;
      if (outcome.kind === 'no-endpoint') return this.poll();
      if (outcome.kind === 'unauthorized') {
        authFailures++;
        if (authFailures >= 2) {
          this.opts.onUnauthorized?.();
          return;
        }
        continue; // once more, with a refreshed token
      }
      authFailures = 0;
      if (outcome.opened) everOpened = true;
      attempt = outcome.received ? 1 : attempt + 1;
      this.reconnects++;
      const delay = backoffDelay(
        attempt,
        serverRetry ?? this.opts.minBackoffMs,
        this.opts.maxBackoffMs,
        this.opts.random,
      );
      if (attempt >= POLL_WHILE_DOWN_AFTER) {
        // The stream keeps failing. A cross-origin server without the route
        // fails the CORS preflight, which fetch reports as a network error,
        // not a 404: poll meanwhile, and keep trying the stream.
        this.setStatus('polling');
        await this.pollFor(delay);
      } else {
        await this.opts.sleep(delay, this.stopController.signal);
      }
    }
  }

  /** Waits `total` ms, asking for a refresh every poll interval (at least once). */
  private async pollFor(total: number): Promise<void> {
    let left = total;
    do {
      const step = Math.min(this.opts.pollIntervalMs, left);
      await this.opts.sleep(step, this.stopController.signal);
      if (this.stopped) return;
      left -= step;
      this.opts.onRefresh();
    } while (left > 0);
  }

  private async poll(): Promise<void> {
    this.setStatus('polling');
    while (!this.stopped) {
      await this.opts.sleep(this.opts.pollIntervalMs, this.stopController.signal);
      if (this.stopped) return;
      this.opts.onRefresh();
    }
  }

  /**
   * One connection, read until it ends. `opened`: the server answered 200 with
   * an event stream; `received`: at least one byte came (resets the back-off).
   */
  private async connectOnce(
    forceRefresh: boolean,
    reconnecting: boolean,
    setRetry: (ms: number) => void,
  ): Promise<
    { kind: 'no-endpoint' } | { kind: 'unauthorized' } | { kind: 'ended'; opened: boolean; received: boolean }
  > {
    const ended = (opened: boolean, received: boolean) => ({ kind: 'ended' as const, opened, received });
    let token: string | null;
    try {
      token = await this.opts.getToken(forceRefresh ? { forceRefresh: true } : undefined);
    } catch {
      token = null;
    }
    if (!token) return { kind: 'unauthorized' };

    const controller = new AbortController();
    const abort = () => controller.abort();
    this.stopController.signal.addEventListener('abort', abort);
    let idle: ReturnType<typeof setTimeout> | undefined;
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(abort, this.opts.idleTimeoutMs);
    };
    try {
      const headers: Record<string, string> = {
        Authorization: `Bearer ${token}`,
        Accept: 'text/event-stream',
      };
      if (this.lastEventId) headers['Last-Event-ID'] = this.lastEventId;
      armIdle();
      let res: Response;
      try {
        res = await this.opts.fetch(this.opts.url, { headers, signal: controller.signal, cache: 'no-store' });
      } catch {
        return ended(false, false);
      }
      if (res.status === 404) return { kind: 'no-endpoint' };
      if (res.status === 401) return { kind: 'unauthorized' };
      const type = res.headers.get('Content-Type') ?? '';
      if (!res.ok || !res.body || !type.toLowerCase().startsWith('text/event-stream')) {
        void res.body?.cancel().catch(() => undefined);
        return ended(false, false);
      }
      this.setStatus('open');
      // Reconnected without a point to resume from: what came meanwhile is unknown.
      if (reconnecting && !this.lastEventId) this.opts.onRefresh();

      let received = false;
      const parser = new SseParser((e) => this.handle(e));
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          received = true;
          armIdle();
          parser.push(decoder.decode(value, { stream: true }));
          if (parser.retry !== null) setRetry(parser.retry);
        }
      } catch {
        // reset, idle timeout or stop
      } finally {
        parser.end();
        reader.cancel().catch(() => undefined);
      }
      return ended(true, received);
    } finally {
      clearTimeout(idle);
      this.stopController.signal.removeEventListener('abort', abort);
    }
  }

  private handle(e: SseEvent): void {
    if (e.lastEventId) this.lastEventId = e.lastEventId;
    switch (e.type) {
      case 'message': {
        let data: unknown;
        try {
          data = JSON.parse(e.data);
        } catch {
          return;
        }
        if (!isLiveMessage(data)) return;
        if (!this.markSeen(data.uuid)) return;
        this.opts.onMessage(data);
        return;
      }
      case 'reset':
        this.opts.onRefresh();
        return;
      default:
        return; // heartbeat and unknown events only keep the connection alive
    }
  }
}
