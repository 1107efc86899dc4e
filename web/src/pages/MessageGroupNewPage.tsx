import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useApi } from '../api/ApiContext';
import { isApiError } from '../api/client';
import type { UserShort } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { MessageForm } from '../components/MessageForm';
import { LoadError } from '../components/Notice';
import { useMessagesContext } from './messagesContext';

type Load =
  | { status: 'loading' }
  | { status: 'ready'; other: UserShort }
  | { status: 'self' }
  | { status: 'not-found' }
  | { status: 'error'; error: unknown };

/**
 * /messages/new/:handle — start a conversation. When the two already have
 * one (the API's `message_group_uuid` on the user card, or one in the loaded
 * list), go there instead.
 */
export function MessageGroupNewPage() {
  const { handle = '' } = useParams();
  const { api } = useApi();
  const { user } = useAuth();
  const ctx = useMessagesContext();
  const navigate = useNavigate();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const { setPendingUser, groups } = ctx;

  useEffect(() => {
    if (user && handle === user.handle) {
      setLoad({ status: 'self' });
      return;
    }
    const controller = new AbortController();
    setLoad({ status: 'loading' });
    api
      .getUserShort(handle, controller.signal)
      .then((other) => {
        if (other.message_group_uuid) {
          navigate(`/messages/${other.message_group_uuid}`, { replace: true });
          return;
        }
        setLoad({ status: 'ready', other });
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted || isApiError(e, 'unauthorized')) return;
        setLoad(isApiError(e, 'not_found') ? { status: 'not-found' } : { status: 'error', error: e });
      });
    return () => controller.abort();
  }, [api, handle, user, navigate, attempt]);

  // Older servers do not name the conversation: look for it in the list.
  const existing = load.status === 'ready' ? groups.find((g) => g.handle === load.other.handle) : undefined;
  useEffect(() => {
    if (existing) navigate(`/messages/${existing.uuid}`, { replace: true });
  }, [existing, navigate]);

  const other = load.status === 'ready' ? load.other : null;
  useEffect(() => {
    setPendingUser(other);
    return () => setPendingUser(null);
  }, [other, setPendingUser]);

  if (load.status === 'not-found' || load.status === 'self') {
    return (
      <section className="conversation" aria-labelledby="conv-heading">
        <h2 id="conv-heading">{load.status === 'self' ? "That's you" : 'User not found'}</h2>
        <p>
          {load.status === 'self' ? "You can't send a message to yourself." : `Nobody has the handle @${handle}.`}
        </p>
        <p>
          <Link to="/messages">Back to your conversations</Link>
        </p>
      </section>
    );
  }
  if (load.status === 'error') {
    return (
      <section className="conversation" aria-labelledby="conv-heading">
        <h2 id="conv-heading">New conversation</h2>
        <LoadError error={load.error} what={`@${handle}`} onRetry={() => setAttempt((n) => n + 1)} />
      </section>
    );
  }
  if (load.status === 'loading' || existing) {
    return (
      <section className="conversation" aria-labelledby="conv-heading">
        <h2 id="conv-heading">New conversation</h2>
        <p className="muted" role="status">
          Loading…
        </p>
      </section>
    );
  }

  const o = load.other;
  async function send(text: string) {
    const m = await api.createMessage({ message: text, handle: o.handle });
    ctx.onSent(m, o);
    navigate(`/messages/${m.message_group_uuid}`, { replace: true });
  }
  return (
    <section className="conversation" aria-labelledby="conv-heading">
      <header className="conv-head">
        <h2 id="conv-heading">
          New conversation with {o.display_name} <span className="handle">@{o.handle}</span>
        </h2>
      </header>
      <div className="message-scroll">
        <p className="muted empty-text">No messages yet. Say hello!</p>
      </div>
      <MessageForm onSend={send} recipient={`@${o.handle}`} />
    </section>
  );
}
