/// <reference types="vitest" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev` and `npm run preview` serve the runtime configuration at
// /config.json from the environment, with the local stack's defaults (see
// README.md). A built app gets /config.json from whatever serves it.
function runtimeConfig(): Plugin {
  const env = process.env;
  const body = () =>
    JSON.stringify({
      apiUrl: env.CRUDDUR_API_URL ?? 'http://localhost:4567',
      region: env.AWS_DEFAULT_REGION ?? 'us-east-1',
      userPoolId: env.AWS_COGNITO_USER_POOL_ID ?? `${env.AWS_DEFAULT_REGION ?? 'us-east-1'}_cruddur`,
      userPoolClientId: env.AWS_COGNITO_USER_POOL_CLIENT_ID ?? 'cruddurlocalclient',
      cognitoEndpoint: env.CRUDDUR_COGNITO_ENDPOINT ?? 'http://localhost:8000',
      authFlow: env.CRUDDUR_AUTH_FLOW || undefined,
      local: (env.CRUDDUR_LOCAL ?? '1') !== '0',
    });
  const handler = (req: { url?: string }, res: import('node:http').ServerResponse, next: () => void) => {
    if (req.url?.split('?')[0] !== '/config.json') return next();
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Cache-Control', 'no-store');
    res.end(body());
  };
  return {
    name: 'cruddur-runtime-config',
    configureServer(server) {
      server.middlewares.use(handler);
    },
    configurePreviewServer(server) {
      server.middlewares.use(handler);
    },
  };
}

// index.html gets a <link rel="modulepreload"> for the app's chunk
// (src/start.tsx, imported dynamically by the small entry src/main.tsx) and
// every chunk it imports: the browser fetches and compiles them while the
// entry fetches /config.json and starts the first API reads, instead of after.
function preloadAppChunk(): Plugin {
  let base = '/';
  return {
    name: 'cruddur-preload-app-chunk',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return [];
        const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
        const start = chunks.find((c) => c.moduleIds.some((id) => id.endsWith('/src/start.tsx')));
        if (!start) throw new Error('cruddur-preload-app-chunk: no chunk holds src/start.tsx');
        const entry = chunks.find((c) => c.isEntry);
        const files = new Set<string>();
        const add = (file: string) => {
          if (files.has(file) || file === entry?.fileName) return;
          files.add(file);
          const c = bundle[file];
          if (c?.type === 'chunk') c.imports.forEach(add);
        };
        add(start.fileName);
        return [...files].map((file) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `${base}${file}` },
          injectTo: 'head' as const,
        }));
      },
    },
  };
}

export default defineConfig({
  plugins: [react(), runtimeConfig(), preloadAppChunk()],
  server: { host: '127.0.0.1', port: 3000, strictPort: true },
  preview: { host: '127.0.0.1', port: 3000, strictPort: true },
  build: { sourcemap: false, chunkSizeWarningLimit: 700 },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
  },
});
