// The app proper, loaded by main.tsx once it has the configuration and has
// started the first API reads: React, the router, the pages. A chunk of its
// own, preloaded from index.html (vite.config.ts).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, createAppRouter, prefetchOnNavigation } from './App';
import { peekUser } from './auth/session';
import type { CruddurConfig } from './config';
import { warmTimeFormats } from './lib/time';

/**
 * Everything but the first render, done while the first API reads are out:
 * the React root, the router, the date formats the pages use. Needs
 * auth/session.ts initSession and api/prefetch.ts configurePrefetch done.
 */
export function prepare(config: CruddurConfig): { render: () => void } {
  const root = createRoot(document.getElementById('root')!);
  const router = createAppRouter();
  prefetchOnNavigation(router);
  warmTimeFormats();
  return {
    render() {
      root.render(
        <StrictMode>
          <App config={config} router={router} initialUser={peekUser()} />
        </StrictMode>,
      );
    },
  };
}

/** The page shown when the configuration is missing or wrong. */
export function showConfigError(e: unknown): void {
  createRoot(document.getElementById('root')!).render(
    <main id="main" className="auth-page">
      <div className="auth-card" role="alert">
        <h1>Cruddur can't start</h1>
        <p>The app's configuration is missing or wrong: {e instanceof Error ? e.message : String(e)}.</p>
      </div>
    </main>,
  );
}
