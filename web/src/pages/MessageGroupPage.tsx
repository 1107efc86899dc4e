import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useApi } from '../api/ApiContext';
import { isApiError } from '../api/client';
import type { Message } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { MessageForm } from '../components/MessageForm';
import { MessageList } from '../components/MessageList';
import { LoadError } from '../components/Notice';
import { mergeMessages } from '../lib/merge';
import { useMessagesContext } from './messagesContext';

type Load = { status: 'loading' } | { status: 'ready' } | { status: 'not-found' } | { status: 'error'; error: unknown };

/** /messages/:message_group_uuid — one conversation and the form. */
export function MessageGroupPage() {
  const { message_group_uuid: uuid = '' } = useParams();
  const { api } = useApi();
  const { user } = useAuth();
  const ctx = useMessagesContext();
  // Its first page, when a prefetch (at start-up, or on the navigation here)
  // has already read it: shown from the first render, with no loading state.
  const [initial] = useState(() => api.prefetchedMessages(uuid));
  const shownPrefetched = useRef(initial !== null);
  const [load, setLoad] = useState<Load>(initial ? { status: 'ready' } : { status: 'loading' });
  const [messages, setMessages] = useState<Message[]>(() => (initial ? mergeMessages([], initial.items) : []));
  const [nextCursor, setNextCursor] = useState<string | null>(initial?.nextCursor ?? null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<unknown>(null);
  const [announcement, setAnnouncement] = useState('');
  const current = useRef(uuid);
  current.current = uuid;

  const loadFirst = useCallback(
    async (mode: 'replace' | 'merge') => {
      const forUuid = uuid;
      if (mode === 'replace') {
        // unchanged state is kept as it is: no second render when the page has just mounted
        setLoad((l) => (l.status === 'loading' ? l : { status: 'loading' }));
        setMessages((m) => (m.length ? [] : m));
        setNextCursor(null);
        setOlderError(null);
      }
      try {
        const page = await api.listMessages(forUuid);
        if (current.current !== forUuid) return;
        setMessages((prev) => (mode === 'replace' ? mergeMessages([], page.items) : mergeMessages(prev, page.items)));
        if (mode === 'replace') setNextCursor(page.nextCursor);
        setLoad({ status: 'ready' });
      } catch (e) {
        if (current.current !== forUuid || isApiError(e, 'unauthorized')) return;
        if (isApiError(e, 'not_found')) setLoad({ status: 'not-found' });
        else if (mode === 'replace') setLoad({ status: 'error', error: e });
      }
    },
    [api, uuid],
  );

  useEffect(() => {
    if (shownPrefetched.current) {
      shownPrefetched.current = false;
      api.forgetPrefetchedMessages(uuid); // shown: not to be shown again on a later visit
      return;
    }
    void loadFirst('replace');
  }, [api, uuid, loadFirst]);

  const loadOlder = useCallback(async () => {
    if (!nextCursor || loadingOlder) return;
    const forUuid = uuid;
    setLoadingOlder(true);
    setOlderError(null);
    try {
      const page = await api.listMessages(forUuid, { cursor: nextCursor });
      if (current.current !== forUuid) return;
      setMessages((prev) => mergeMessages(page.items, prev));
      setNextCursor(page.nextCursor);
    } catch (e) {
      if (current.current === forUuid && !isApiError(e, 'unauthorized')) setOlderError(e);
    } finally {
      setLoadingOlder(false);
    }
  }, [api, uuid, nextCursor, loadingOlder]);

  useEffect(
    () =>
      ctx.subscribe((e) => {
        if (e.type === 'refresh') {
          void loadFirst('merge');
        } else if (e.message.message_group_uuid === uuid) {
          setMessages((prev) => mergeMessages(prev, [e.message]));
          if (e.message.handle !== user?.handle) setAnnouncement(`New message from ${e.message.display_name}: ${e.message.message}`);
        }
      }),
    [ctx.subscribe, loadFirst, uuid, user?.handle],
  );

  async function send(text: string) {
    const m = await api.createMessage({ message: text, message_group_uuid: uuid });
    setMessages((prev) => mergeMessages(prev, [m]));
    ctx.onSent(m);
  }

  if (load.status === 'not-found') {
    return (
      <section className="conversation" aria-labelledby="conv-heading">
        <h2 id="conv-heading">Conversation not found</h2>
        <p>This conversation doesn't exist, or you are not part of it.</p>
        <p>
          <Link to="/messages">Back to your conversations</Link>
        </p>
      </section>
    );
  }

  const group = ctx.groups.find((g) => g.uuid === uuid);
  const other = group ?? messages.find((m) => m.handle !== user?.handle);
  const title = other ? `${other.display_name}` : 'Conversation';
  return (
    <section className="conversation" aria-labelledby="conv-heading">
      <header className="conv-head">
        <h2 id="conv-heading">
          {title} {other && <span className="handle">@{other.handle}</span>}
        </h2>
      </header>
      {load.status === 'error' ? (
        <LoadError error={load.error} what="this conversation" onRetry={() => void loadFirst('replace')} />
      ) : load.status === 'loading' ? (
        <p className="muted" role="status">
          Loading messages…
        </p>
      ) : (
        <MessageList
          messages={messages}
          myHandle={user?.handle}
          label={`Messages with ${title}`}
          hasOlder={nextCursor !== null}
          loadingOlder={loadingOlder}
          olderError={olderError}
          onLoadOlder={() => void loadOlder()}
          emptyText="No messages yet."
        />
      )}
      <div className="sr-only" aria-live="polite">
        {announcement}
      </div>
      <MessageForm
        key={uuid}
        onSend={send}
        recipient={other ? `@${other.handle}` : undefined}
        disabled={load.status !== 'ready'}
      />
    </section>
  );
}
