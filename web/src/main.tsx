// The entry: a small chunk that starts what the first page needs before the
// app's code (./start.tsx) runs. In order:
//   - /config.json (preloaded by index.html, so already on its way) and the
//     stored session (auth/session.ts: localStorage, read while the
//     configuration is out);
//   - with the configuration, and a session usable as it is, the API reads of
//     the page opened (api/prefetch.ts);
//   - then the app's code (fetched and compiled meanwhile: index.html
//     preloads it), which gets ready while those reads are out and renders
//     once they are answered (at most START_WAIT_MS later): one render with
//     what the page shows, rather than a loading state first.
import { configurePrefetch, pathsForRoute, prefetch, prefetchesSettled } from './api/prefetch';
import { initSession, peekAccessToken, preloadSession } from './auth/session';
import { loadConfig } from './config';
import './styles.css';

/** The longest the first render waits for the first API reads. */
const START_WAIT_MS = 150;

function cannotLoad(): void {
  const root = document.getElementById('root');
  if (root) {
    root.innerHTML =
      '<main id="main" class="auth-page"><div class="auth-card" role="alert"><h1>Cruddur can\'t start</h1>' +
      '<p>The app could not be loaded. Check your connection and reload the page.</p></div></main>';
  }
}

const configLoaded = loadConfig();
preloadSession();

configLoaded.then(
  (config) => {
    initSession(config);
    configurePrefetch({ baseUrl: config.apiUrl, token: peekAccessToken });
    for (const path of pathsForRoute(window.location.pathname)) prefetch(path);
    const answered = prefetchesSettled(START_WAIT_MS);
    import('./start').then((m) => {
      const app = m.prepare(config);
      return answered.then(() => app.render());
    }, cannotLoad);
  },
  (e: unknown) => import('./start').then((m) => m.showConfigError(e), cannotLoad),
);
