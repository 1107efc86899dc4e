// The end-to-end tests' stack: a `cruddur serve` of our own (temporary data
// directory, free ports on 127.0.0.1), a tiny static server for the built app
// (until `cruddur serve` serves it on :3000), and Debian's Chromium driven by
// playwright-core. Everything started here is stopped by PID.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const webDir = path.resolve(here, '../..');
export const repoDir = path.resolve(webDir, '..');

export const DEV_PASSWORD = 'Cruddur1!';
export const USERS = {
  andrew: { email: 'andrew@exampro.co', handle: 'andrewbrown' },
  bayko: { email: 'bayko@exampro.co', handle: 'bayko' },
  londo: { email: 'lmollari@centari.com', handle: 'londo' },
  alt: { email: 'andrew@cloudprojectbootcamp.com', handle: 'altbrown' },
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export function cruddurBin() {
  const candidates = [
    process.env.CRUDDUR_BIN,
    path.join(repoDir, 'build/bin/cruddur'),
    path.join(repoDir, 'build-asan/bin/cruddur'),
  ].filter(Boolean);
  for (const c of candidates) if (existsSync(c)) return path.resolve(c);
  throw new Error(`no cruddur binary (tried ${candidates.join(', ')}): build it or set CRUDDUR_BIN`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts `cruddur serve`; resolves when the API answers. */
export async function startCruddur({ frontendOrigin }) {
  const bin = cruddurBin();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cruddur-web-e2e-'));
  const apiPort = await freePort();
  const ddbPort = await freePort();
  const args = ['serve', '--host', '127.0.0.1', '--api-port', String(apiPort), '--ddb-port', String(ddbPort), '--data', dataDir];
  const env = { ...process.env, FRONTEND_URL: frontendOrigin };
  delete env.AWS_ENDPOINT_URL;
  delete env.CONNECTION_URL;
  env.ASAN_OPTIONS ??= 'detect_leaks=0';
  const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`cruddur serve exited (${JSON.stringify(exited)}):\n${log}`);
    try {
      const res = await fetch(`${apiUrl}/api/message_groups`);
      if (res.status === 401) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`cruddur serve did not start in 60 s:\n${log}`);
    }
    await sleep(100);
  }
  return {
    apiUrl,
    cognitoUrl: `http://127.0.0.1:${ddbPort}`,
    pid: child.pid,
    log: () => log,
    async stop() {
      if (!exited) {
        process.kill(child.pid, 'SIGTERM');
        for (let i = 0; i < 100 && !exited; i++) await sleep(100);
        if (!exited) process.kill(child.pid, 'SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Serves web/dist (SPA: unknown paths get index.html) and /config.json. */
export async function startStatic({ config, port }) {
  const root = path.join(webDir, 'dist');
  if (!existsSync(path.join(root, 'index.html'))) throw new Error('web/dist is missing: run scripts/web.sh (npm run build) first');
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/config.json') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      return res.end(JSON.stringify(config()));
    }
    let file = path.join(root, path.normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, ''));
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) file = path.join(root, 'index.html');
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise((r) => server.close(r)),
  };
}

/** Does the pool answer USER_SRP_AUTH (a PASSWORD_VERIFIER challenge)? */
export async function poolSupportsSrp(cognitoUrl, clientId = 'cruddurlocalclient') {
  const res = await fetch(cognitoUrl, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth',
    },
    body: JSON.stringify({
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: clientId,
      // any large A (not 0 mod N) is a well-formed SRP_A
      AuthParameters: { USERNAME: USERS.londo.email, SRP_A: 'ab'.repeat(192) },
    }),
  });
  const body = await res.json().catch(() => ({}));
  return res.ok && body.ChallengeName === 'PASSWORD_VERIFIER';
}

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  const executablePath = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`${executablePath} is missing: apt-get install chromium`);
  return chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** Injects axe-core and returns the violations of impact serious or critical. */
export async function axeSerious(page) {
  const source = readFileSync(path.join(webDir, 'node_modules/axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: source });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
