import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Outlet, useMatch, useNavigate } from 'react-router-dom';
import { useApi } from '../api/ApiContext';
import { isApiError, joinUrl } from '../api/client';
import type { CreatedMessage, MessageGroup, UserShort } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { GroupList } from '../components/GroupList';
import { LoadError } from '../components/Notice';
import { applyMessageToGroups, mergeGroups } from '../lib/merge';
import { LiveConnection, type LiveStatus } from '../live/connection';
import type { LiveEvent, MessagesContext } from './messagesContext';

const LIVE_TEXT: Record<LiveStatus, string> = {
  connecting: 'Connecting…',
  open: 'Live',
  reconnecting: 'Reconnecting…',
  polling: 'Auto-refresh',
  stopped: '',
};

/** /messages/*: my conversations beside the page of the route below. */
export function MessagesLayout() {
  const { api, config } = useApi();
  const auth = useAuth();
  const navigate = useNavigate();
  const match = useMatch('/messages/:message_group_uuid');
  const activeUuid = match?.params.message_group_uuid;

  // The first page, when a prefetch at start-up has already read it (see MessageGroupPage).
  const [initial] = useState(() => api.prefetchedMessageGroups());
  const shownPrefetched = useRef(initial !== null);
  const [groups, setGroups] = useState<MessageGroup[]>(() => initial?.items ?? []);
  const [loaded, setLoaded] = useState(initial !== null);
  const [nextCursor, setNextCursor] = useState<string | null>(initial?.nextCursor ?? null);
  const [error, setError] = useState<unknown>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [pendingUser, setPendingUser] = useState<UserShort | null>(null);
  const [liveStatus, setLiveStatus] = useState<LiveStatus>('stopped');
  const listeners = useRef(new Set<(e: LiveEvent) => void>());
  const groupsRef = useRef(groups);
  groupsRef.current = groups;

  const emit = useCallback((e: LiveEvent) => {
    for (const l of [...listeners.current]) l(e);
  }, []);

  const loadFirst = useCallback(
    async (mode: 'replace' | 'merge') => {
      try {
        const page = await api.listMessageGroups();
        setGroups((prev) => (mode === 'replace' ? page.items : mergeGroups(prev, page.items)));
        if (mode === 'replace') setNextCursor(page.nextCursor);
        setError(null);
        setLoaded(true);
      } catch (e) {
        if (isApiError(e, 'unauthorized')) return;
        if (mode === 'replace') setError(e);
      }
    },
    [api],
  );

  useEffect(() => {
    if (shownPrefetched.current) {
      shownPrefetched.current = false;
      api.forgetPrefetchedMessageGroups();
      return;
    }
    void loadFirst('replace');
  }, [api, loadFirst]);

  async function loadMore() {
    if (!nextCursor || loadingMore) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await api.listMessageGroups({ cursor: nextCursor });
      setGroups((prev) => mergeGroups(prev, page.items));
      setNextCursor(page.nextCursor);
    } catch (e) {
      if (!isApiError(e, 'unauthorized')) setMoreError(e);
    } finally {
      setLoadingMore(false);
    }
  }

  // The live stream (or polling) for as long as a messages page is open.
  useEffect(() => {
    const live = new LiveConnection({
      url: joinUrl(config.apiUrl, '/api/events'),
      getToken: (o) => api.getToken(o),
      pollIntervalMs: config.pollIntervalMs,
      onStatus: setLiveStatus,
      onUnauthorized: auth.expire,
      onMessage: (message) => {
        const known = groupsRef.current.some((g) => g.uuid === message.message_group_uuid);
        setGroups((prev) => applyMessageToGroups(prev, message).groups);
        // A conversation not in the list: the list names its other participant.
        if (!known) void loadFirst('merge');
        emit({ type: 'message', message });
      },
      onRefresh: () => {
        void loadFirst('merge');
        emit({ type: 'refresh' });
      },
    });
    void live.start();
    return () => live.stop();
  }, [api, config.apiUrl, config.pollIntervalMs, auth.expire, emit, loadFirst]);

  const onSent = useCallback(
    (m: CreatedMessage, other?: Pick<UserShort, 'handle' | 'display_name'>) => {
      setGroups((prev) => {
        const r = applyMessageToGroups(prev, m);
        if (r.known || !other) return r.groups;
        const g: MessageGroup = {
          uuid: m.message_group_uuid,
          handle: other.handle,
          display_name: other.display_name,
          message: m.message,
          created_at: m.created_at,
        };
        return mergeGroups(prev, [g]);
      });
    },
    [],
  );

  const subscribe = useCallback((l: (e: LiveEvent) => void) => {
    listeners.current.add(l);
    return () => void listeners.current.delete(l);
  }, []);

  const context: MessagesContext = useMemo(
    () => ({ groups, groupsLoaded: loaded, onSent, setPendingUser, subscribe, liveStatus }),
    [groups, loaded, onSent, subscribe, liveStatus],
  );

  const [handle, setHandle] = useState('');
  function startConversation(e: FormEvent) {
    e.preventDefault();
    const h = handle.trim().replace(/^@/, '');
    if (!h) return;
    setHandle('');
    navigate(`/messages/new/${encodeURIComponent(h)}`);
  }

  return (
    <div className="messages-layout">
      <section className="groups-pane" aria-labelledby="groups-heading">
        <div className="pane-head">
          <h1 id="groups-heading">Messages</h1>
          <span
            className={`live-status ${liveStatus}`}
            role="status"
            title={liveStatus === 'polling' ? 'Checking for new messages every few seconds' : undefined}
          >
            {LIVE_TEXT[liveStatus]}
          </span>
        </div>
        <form className="start-form" onSubmit={startConversation}>
          <label htmlFor="start-handle">Start a conversation with</label>
          <div className="inline">
            <input
              id="start-handle"
              value={handle}
              onChange={(e) => setHandle(e.target.value)}
              placeholder="@handle"
              autoComplete="off"
              spellCheck={false}
            />
            <button type="submit" disabled={!handle.trim().replace(/^@/, '')}>
              Start
            </button>
          </div>
        </form>
        {error ? (
          <LoadError error={error} what="your conversations" onRetry={() => void loadFirst('replace')} />
        ) : !loaded ? (
          <p className="muted" role="status">
            Loading conversations…
          </p>
        ) : (
          <nav aria-label="Conversations">
            {groups.length === 0 && !pendingUser && <p className="muted">No conversations yet.</p>}
            <GroupList groups={groups} activeUuid={activeUuid} pendingUser={pendingUser} />
            {nextCursor && (
              <button type="button" className="link-button" onClick={() => void loadMore()} disabled={loadingMore}>
                {loadingMore ? 'Loading…' : 'Show older conversations'}
              </button>
            )}
            {moreError != null && (
              <LoadError error={moreError} what="older conversations" onRetry={() => void loadMore()} />
            )}
          </nav>
        )}
      </section>
      <div className="conversation-pane">
        <Outlet context={context} />
      </div>
    </div>
  );
}

/** /messages itself: nothing chosen yet. */
export function MessagesIndex() {
  return (
    <section className="conversation empty" aria-labelledby="choose-heading">
      <h2 id="choose-heading">Choose a conversation</h2>
      <p className="muted">Pick one from the list, or start a new one with someone's handle.</p>
    </section>
  );
}
