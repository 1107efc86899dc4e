import { memo, useLayoutEffect, useRef, type UIEvent } from 'react';
import type { Message } from '../api/types';
import { LoadError } from './Notice';
import { RelativeTime, useNow } from './RelativeTime';

interface Props {
  messages: Message[];
  myHandle?: string;
  label: string;
  hasOlder: boolean;
  loadingOlder: boolean;
  olderError: unknown;
  onLoadOlder: () => void;
  emptyText?: string;
}

/**
 * A conversation, newest at the bottom. Opens scrolled to the bottom; keeps
 * the reader's place when older messages arrive on top (loaded when scrolled
 * near the top, or with the button); follows new messages when the reader is
 * at the bottom or sent them.
 */
export function MessageList({ messages, myHandle, label, hasOlder, loadingOlder, olderError, onLoadOlder, emptyText }: Props) {
  const now = useNow();
  const box = useRef<HTMLDivElement>(null);
  const prev = useRef<{ first?: string; last?: string; height: number; top: number }>({ height: 0, top: 0 });

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const first = messages[0]?.uuid;
    const last = messages[messages.length - 1]?.uuid;
    const p = prev.current;
    if (p.last === undefined) {
      el.scrollTop = el.scrollHeight; // first page: start at the newest
    } else if (first !== p.first && last === p.last) {
      el.scrollTop = el.scrollHeight - p.height + p.top; // older ones on top: stay in place
    } else if (last !== p.last) {
      const wasAtBottom = p.height - p.top - el.clientHeight < 120;
      const mine = messages[messages.length - 1]?.handle === myHandle;
      if (wasAtBottom || mine) el.scrollTop = el.scrollHeight;
    }
    prev.current = { first, last, height: el.scrollHeight, top: el.scrollTop };
    // A first page shorter than the box leaves nothing to scroll: fetch more.
    if (el.clientHeight > 0 && el.scrollHeight <= el.clientHeight && hasOlder && !loadingOlder && !olderError) {
      onLoadOlder();
    }
  }, [messages, myHandle, hasOlder, loadingOlder, olderError, onLoadOlder]);

  function onScroll(e: UIEvent<HTMLDivElement>) {
    const el = e.currentTarget;
    prev.current.top = el.scrollTop;
    prev.current.height = el.scrollHeight;
    if (el.scrollTop < 80 && hasOlder && !loadingOlder && !olderError) onLoadOlder();
  }

  return (
    <div className="message-scroll" ref={box} onScroll={onScroll} tabIndex={0} role="region" aria-label={label}>
      <div className="older">
        {hasOlder ? (
          <button type="button" className="link-button" onClick={onLoadOlder} disabled={loadingOlder}>
            {loadingOlder ? 'Loading older messages…' : 'Load older messages'}
          </button>
        ) : (
          messages.length > 0 && <p className="muted">This is the start of the conversation.</p>
        )}
        {olderError != null && <LoadError error={olderError} what="older messages" onRetry={onLoadOlder} />}
      </div>
      {messages.length === 0 && emptyText && <p className="muted empty-text">{emptyText}</p>}
      <ol className="message-list">
        {messages.map((m) => (
          <MessageRow key={m.uuid} message={m} mine={m.handle === myHandle} now={now} />
        ))}
      </ol>
    </div>
  );
}

/**
 * One message. Memoized: a message appended, older ones loaded or the list
 * re-rendered for another reason renders only the rows whose message (the
 * same object while it is unchanged, see mergeMessages) or time changed.
 */
const MessageRow = memo(function MessageRow({ message: m, mine, now }: { message: Message; mine: boolean; now: number }) {
  return (
    <li className={`message${mine ? ' mine' : ''}`}>
      <div className="meta">
        <span className="name">{m.display_name}</span> <span className="handle">@{m.handle}</span>{' '}
        <RelativeTime value={m.created_at} now={now} />
      </div>
      <p className="text">{m.message}</p>
    </li>
  );
});
