// The end-to-end tests' stack: a `cruddur serve` of our own (temporary data
// directory, free ports on 127.0.0.1) serving the built app itself (web/dist
// and /config.json on an ephemeral --web-port), and Debian's Chromium driven
// by playwright-core. Everything started here is stopped by PID.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

/**
 * Starts `cruddur serve` with the web app on an ephemeral port (--web-port 0:
 * FRONTEND_URL becomes that origin); resolves with its URLs once its "ready"
 * log line is out. `env` adds variables (e.g. CRUDDUR_POOL_ACCESS_TOKEN_SECONDS),
 * `args` flags (e.g. --no-throttling).
 */
export async function startCruddur({ env: extraEnv = {}, args: extraArgs = [] } = {}) {
  const bin = cruddurBin();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cruddur-web-e2e-'));
  const apiPort = await freePort();
  const ddbPort = await freePort();
  const args = ['serve', '--host', '127.0.0.1', '--api-port', String(apiPort), '--ddb-port', String(ddbPort), '--web-port', '0', '--data', dataDir, ...extraArgs];
  const env = { ...process.env, ...extraEnv };
  for (const v of ['AWS_ENDPOINT_URL', 'CONNECTION_URL', 'FRONTEND_URL', 'BACKEND_URL']) delete env[v];
  env.ASAN_OPTIONS ??= 'detect_leaks=0';
  const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  let ready = null;
  child.stdout.on('data', (d) => {
    log += d;
    if (!ready) {
      const line = log.split('\n').find((l) => l.includes('"event":"ready"'));
      if (line) ready = JSON.parse(line);
    }
  });
  child.stderr.on('data', (d) => (log += d));
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  const deadline = Date.now() + 60_000;
  while (!ready) {
    if (exited) throw new Error(`cruddur serve exited (${JSON.stringify(exited)}):\n${log}`);
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`cruddur serve did not start in 60 s:\n${log}`);
    }
    await sleep(50);
  }
  if (!ready.web) {
    child.kill('SIGTERM');
    throw new Error(`cruddur serve does not serve the web app:\n${log}`);
  }
  return {
    apiUrl: `http://127.0.0.1:${apiPort}`,
    cognitoUrl: `http://127.0.0.1:${ddbPort}`,
    /** The app's origin, e.g. http://localhost:41234 (no trailing slash). */
    webUrl: ready.web.replace(/\/+$/, ''),
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

/**
 * A browser context on the app; `configOverrides` (e.g. { authFlow }) are
 * merged into the /config.json that `cruddur serve` answers.
 */
export async function newContext(browser, { configOverrides = {}, ...options } = {}) {
  const context = await browser.newContext(options);
  if (Object.keys(configOverrides).length) {
    await context.route('**/config.json', async (route) => {
      const response = await route.fetch();
      const json = { ...(await response.json()), ...configOverrides };
      await route.fulfill({ response, json });
    });
  }
  return context;
}

/** The seeded conversation of andrewbrown and bayko (the Babylon 5 dialogue). */
export const SEED_GROUP = '5ae290ed-55d1-47a0-bc6d-fe2bc2700399';

/** API calls the test makes itself, as `user` (one sign-in per user). */
export function apiClient(stack) {
  const tokens = new Map();
  return async function apiCall(user, method, p, body) {
    if (!tokens.has(user.email)) tokens.set(user.email, await apiToken(stack.cognitoUrl, user));
    const res = await fetch(`${stack.apiUrl}${p}`, {
      method,
      headers: { Authorization: `Bearer ${tokens.get(user.email)}`, 'Content-Type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: await res.json() };
  };
}

/** A dev user's access token, for API calls the test makes itself. */
export async function apiToken(cognitoUrl, user, password = DEV_PASSWORD) {
  const res = await fetch(cognitoUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
    body: JSON.stringify({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: 'cruddurlocalclient',
      AuthParameters: { USERNAME: user.email, PASSWORD: password },
    }),
  });
  const body = await res.json();
  if (!body.AuthenticationResult) throw new Error(`sign-in of ${user.email} failed: ${JSON.stringify(body)}`);
  return body.AuthenticationResult.AccessToken;
}

/** The authFlow the app is to use: CRUDDUR_E2E_AUTH_FLOW, else SRP when the pool answers it. */
export async function chooseAuthFlow(cognitoUrl) {
  const srp = await poolSupportsSrp(cognitoUrl);
  const flow = process.env.CRUDDUR_E2E_AUTH_FLOW || (srp ? 'USER_SRP_AUTH' : 'USER_PASSWORD_AUTH');
  console.log(`# local pool SRP support: ${srp ? 'yes' : 'no'}; the app signs in with ${flow}`);
  return flow;
}

/** Signs `user` in through the sign-in page; resolves on /messages. */
export async function signIn(page, webUrl, user, password = DEV_PASSWORD) {
  await page.goto(`${webUrl}/signin`);
  await page.getByLabel('E-mail').fill(user.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${webUrl}/messages`, { timeout: 20_000 });
}

/** Saves a screenshot to web/screenshots/<name>.png. */
export async function shot(page, name) {
  const dir = path.join(webDir, 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

/**
 * Does the pool answer GetTokensFromRefreshToken (how Amplify v6 refreshes
 * tokens)? An unknown refresh token must get NotAuthorizedException, not
 * "unknown operation" or a refusal.
 */
export async function poolRefreshesForBrowsers(cognitoUrl, origin, clientId = 'cruddurlocalclient') {
  const res = await fetch(cognitoUrl, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'AWSCognitoIdentityProviderService.GetTokensFromRefreshToken',
      Origin: origin,
    },
    body: JSON.stringify({ ClientId: clientId, RefreshToken: 'not-a-refresh-token' }),
  });
  const body = await res.json().catch(() => ({}));
  return res.status === 400 && /NotAuthorized/.test(body.__type ?? '');
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
