// The Cruddur API client (docs/openapi.yaml). Every call gets an access token
// from `getToken` (auth/session.ts: the stored one while it has time left,
// else Amplify's, refreshed), and every failure becomes an ApiError with a
// kind the pages act on.
import type { CreatedMessage, Message, MessageGroup, Page, UserShort } from './types';

export type ApiErrorKind =
  | 'unauthorized' // 401, or no session: go to sign-in
  | 'not_found' // 404
  | 'invalid' // 422: `codes` holds the API's field errors
  | 'bad_request' // 400, 415
  | 'unavailable' // 503: try again later
  | 'network' // no answer at all: offer a retry
  | 'server'; // anything else

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    readonly status: number,
    readonly codes: string[] = [],
  ) {
    super(`${kind}${status ? ` (${status})` : ''}${codes.length ? `: ${codes.join(', ')}` : ''}`);
    this.name = 'ApiError';
  }
}

export function isApiError(e: unknown, kind?: ApiErrorKind): e is ApiError {
  return e instanceof ApiError && (kind === undefined || e.kind === kind);
}

export type GetToken = (options?: { forceRefresh?: boolean }) => Promise<string | null>;

export interface ApiClientOptions {
  /** The API's origin, e.g. "http://localhost:4567"; "" for the page's own origin. */
  baseUrl: string;
  getToken: GetToken;
  /** Called once per 401 that a refreshed token did not cure. */
  onUnauthorized?: () => void;
  fetch?: typeof fetch;
  /** GETs started before they were asked for (api/prefetch.ts); none by default. */
  prefetched?: Prefetched;
}

/** What the client needs of api/prefetch.ts. */
export interface Prefetched {
  /** The GET of `url` sent with `token`, in flight or answered, taken instead of sending one; undefined: send it. */
  take(url: string, token: string): Promise<Response> | undefined;
  /** The page GET `url` answered (200), already read, if a prefetch with the token usable now has it; not taken. */
  peekPage(url: string): { items: unknown[]; nextCursor: string | null } | undefined;
  /** Drops the prefetch of `url`: its page was shown from peekPage. */
  forget(url: string): void;
}

interface RequestOptions {
  query?: Record<string, string | number | undefined | null>;
  body?: unknown;
  signal?: AbortSignal;
}

export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path;
}

/** GET /api/messages/{message_group_uuid}'s path. */
export function messagesPath(messageGroupUuid: string): string {
  return `/api/messages/${encodeURIComponent(messageGroupUuid)}`;
}

export class ApiClient {
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: ApiClientOptions) {
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** An access token as this client gets its own (for the live stream's requests). */
  getToken(options?: { forceRefresh?: boolean }): Promise<string | null> {
    return this.options.getToken(options);
  }

  /**
   * The first page of my conversations if a prefetch has already read it
   * (no request, synchronous), for a page's first render; null otherwise.
   * Call forgetPrefetchedMessageGroups once it is shown.
   */
  prefetchedMessageGroups(): Page<MessageGroup> | null {
    return this.peekPage<MessageGroup>('/api/message_groups');
  }

  forgetPrefetchedMessageGroups(): void {
    this.options.prefetched?.forget(joinUrl(this.options.baseUrl, '/api/message_groups'));
  }

  /** prefetchedMessageGroups for a conversation's first page. */
  prefetchedMessages(messageGroupUuid: string): Page<Message> | null {
    return this.peekPage<Message>(messagesPath(messageGroupUuid));
  }

  forgetPrefetchedMessages(messageGroupUuid: string): void {
    this.options.prefetched?.forget(joinUrl(this.options.baseUrl, messagesPath(messageGroupUuid)));
  }

  private peekPage<T>(path: string): Page<T> | null {
    const page = this.options.prefetched?.peekPage(joinUrl(this.options.baseUrl, path));
    return page ? { items: page.items as T[], nextCursor: page.nextCursor } : null;
  }

  /** My conversations, newest last message first. */
  listMessageGroups(page: { cursor?: string | null; limit?: number; signal?: AbortSignal } = {}) {
    return this.list<MessageGroup>('/api/message_groups', page);
  }

  /** One page of a conversation, oldest first within the page; nextCursor leads to older ones. */
  listMessages(
    messageGroupUuid: string,
    page: { cursor?: string | null; limit?: number; signal?: AbortSignal } = {},
  ) {
    return this.list<Message>(messagesPath(messageGroupUuid), page);
  }

  /** Send into a conversation (message_group_uuid) or to a user (handle). */
  async createMessage(
    input: { message: string } & ({ message_group_uuid: string } | { handle: string }),
    signal?: AbortSignal,
  ): Promise<CreatedMessage> {
    const res = await this.request('POST', '/api/messages', { body: input, signal });
    return (await readJson(res)) as CreatedMessage;
  }

  async getUserShort(handle: string, signal?: AbortSignal): Promise<UserShort> {
    const res = await this.request('GET', `/api/users/@${encodeURIComponent(handle)}/short`, { signal });
    return (await readJson(res)) as UserShort;
  }

  private async list<T>(
    path: string,
    page: { cursor?: string | null; limit?: number; signal?: AbortSignal },
  ): Promise<Page<T>> {
    const res = await this.request('GET', path, {
      query: { cursor: page.cursor, limit: page.limit },
      signal: page.signal,
    });
    const body = await readJson(res);
    if (!Array.isArray(body)) throw new ApiError('server', res.status, ['not_a_list']);
    return { items: body as T[], nextCursor: res.headers.get('X-Next-Cursor') || null };
  }

  /** Sends with a bearer token; on 401 retries once with a force-refreshed token. */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
    let url = joinUrl(this.options.baseUrl, path);
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
    }
    if ([...params].length) url += `?${params}`;

    for (let attempt = 0; ; attempt++) {
      let token: string | null;
      try {
        token = await this.options.getToken(attempt > 0 ? { forceRefresh: true } : undefined);
      } catch {
        token = null; // the session could not be refreshed
      }
      if (!token) return this.unauthorized();

      const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
      if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
      let res: Response;
      try {
        const early =
          attempt === 0 && method === 'GET' && !opts.signal ? this.options.prefetched?.take(url, token) : undefined;
        res = await (early ??
          this.fetchImpl(url, {
            method,
            headers,
            body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
            signal: opts.signal,
          }));
      } catch (e) {
        if (opts.signal?.aborted) throw e;
        throw new ApiError('network', 0);
      }
      if (res.ok) return res;
      if (res.status === 401) {
        if (attempt === 0) continue;
        return this.unauthorized();
      }
      throw await errorFrom(res);
    }
  }

  private unauthorized(): never {
    this.options.onUnauthorized?.();
    throw new ApiError('unauthorized', 401);
  }
}

async function readJson(res: Response): Promise<unknown> {
  try {
    return await res.json();
  } catch {
    throw new ApiError('server', res.status, ['invalid_response']);
  }
}

async function errorFrom(res: Response): Promise<ApiError> {
  let codes: string[] = [];
  try {
    const body = (await res.json()) as { errors?: unknown };
    if (Array.isArray(body?.errors)) codes = body.errors.filter((c): c is string => typeof c === 'string');
  } catch {
    // no JSON body (HEAD, a proxy's error page): the status says enough
  }
  const kind: ApiErrorKind =
    res.status === 404
      ? 'not_found'
      : res.status === 422
        ? 'invalid'
        : res.status === 400 || res.status === 415
          ? 'bad_request'
          : res.status === 503
            ? 'unavailable'
            : 'server';
  return new ApiError(kind, res.status, codes);
}
