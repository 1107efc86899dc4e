import type { ReactNode } from 'react';
import { isApiError } from '../api/client';
import { errorText } from '../lib/errors';

/** A load failure with a Retry button (network, 503, anything unexpected). */
export function LoadError({ error, onRetry, what }: { error: unknown; onRetry: () => void; what: string }) {
  let text = `Couldn't load ${what}.`;
  if (isApiError(error, 'network')) text = `Couldn't load ${what}: the server can't be reached. Check your connection.`;
  else if (isApiError(error) && error.codes.length) text = `Couldn't load ${what}: ${error.codes.map(errorText).join(' ')}`;
  return (
    <div className="notice error" role="alert">
      <p>{text}</p>
      <button type="button" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'error' | 'success'; children: ReactNode }) {
  return (
    <div className={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
