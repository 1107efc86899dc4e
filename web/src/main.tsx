import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { configureAuth } from './auth/amplify';
import { loadConfig } from './config';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

loadConfig()
  .then((config) => {
    configureAuth(config);
    root.render(
      <StrictMode>
        <App config={config} />
      </StrictMode>,
    );
  })
  .catch((e: unknown) => {
    root.render(
      <main id="main" className="auth-page">
        <div className="auth-card" role="alert">
          <h1>Cruddur can't start</h1>
          <p>The app's configuration is missing or wrong: {e instanceof Error ? e.message : String(e)}.</p>
        </div>
      </main>,
    );
  });
