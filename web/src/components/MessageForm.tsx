import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { isApiError } from '../api/client';
import { errorText } from '../lib/errors';
import { checkMessage, MAX_MESSAGE_CODE_POINTS } from '../lib/text';

interface Props {
  /** Sends the text; throws an ApiError on failure. */
  onSend: (text: string) => Promise<void>;
  /** Whom the message goes to, for the label: "Message @bayko". */
  recipient?: string;
  disabled?: boolean;
}

type Failure = { kind: 'codes'; texts: string[] } | { kind: 'network' } | null;

/**
 * The message box. Counts Unicode code points as the API does and refuses a
 * blank or over-long message; clears itself after a successful send. Sends
 * with the button or Ctrl+Enter (⌘+Enter).
 */
export function MessageForm({ onSend, recipient, disabled }: Props) {
  const id = useId();
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<Failure>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const check = checkMessage(text);
  const canSend = check.sendable && !sending && !disabled;

  async function send() {
    if (!canSend) return;
    setSending(true);
    setFailure(null);
    try {
      await onSend(text);
      setText('');
      textarea.current?.focus();
    } catch (e) {
      if (isApiError(e, 'unauthorized')) return; // on the way to sign-in
      if (isApiError(e, 'network')) setFailure({ kind: 'network' });
      else if (isApiError(e) && e.codes.length) setFailure({ kind: 'codes', texts: e.codes.map(errorText) });
      else setFailure({ kind: 'codes', texts: ['The message could not be sent; try again.'] });
    } finally {
      setSending(false);
    }
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void send();
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send();
    }
  }

  const counterId = `${id}-counter`;
  const helpId = `${id}-help`;
  const over = -check.remaining;
  return (
    <form className="message-form" onSubmit={onSubmit} aria-label="Send a message">
      <label htmlFor={`${id}-text`}>{recipient ? `Message ${recipient}` : 'Message'}</label>
      <textarea
        id={`${id}-text`}
        ref={textarea}
        value={text}
        rows={3}
        placeholder="Send a direct message…"
        onChange={(e) => {
          setText(e.target.value);
          if (failure?.kind === 'codes') setFailure(null);
        }}
        onKeyDown={onKeyDown}
        aria-describedby={`${counterId} ${helpId}`}
        aria-invalid={check.tooLong || undefined}
        disabled={disabled}
      />
      <div className="form-row">
        <span id={counterId} className={`counter${check.tooLong ? ' err' : ''}`}>
          {check.tooLong
            ? `${over.toLocaleString('en-US')} character${over === 1 ? '' : 's'} too many (at most ${MAX_MESSAGE_CODE_POINTS.toLocaleString('en-US')})`
            : `${check.remaining.toLocaleString('en-US')} characters left`}
        </span>
        <span id={helpId} className="hint">
          Ctrl+Enter sends
        </span>
        <button type="submit" disabled={!canSend} className="primary">
          {sending ? 'Sending…' : 'Send'}
        </button>
      </div>
      {failure?.kind === 'codes' && (
        <ul className="form-errors" role="alert">
          {failure.texts.map((t) => (
            <li key={t}>{t}</li>
          ))}
        </ul>
      )}
      {failure?.kind === 'network' && (
        <div className="notice error" role="alert">
          <p>The message was not sent: the server can't be reached.</p>
          <button type="button" onClick={() => void send()} disabled={!canSend}>
            Retry
          </button>
        </div>
      )}
    </form>
  );
}
