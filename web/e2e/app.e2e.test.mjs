// Browser end-to-end tests: the built app in Debian's Chromium against a real
// `cruddur serve`. Run with web/e2e/run.sh (or `npm run e2e` in web/).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  axeSerious,
  chooseAuthFlow,
  DEV_PASSWORD,
  launchChromium,
  newContext,
  poolRefreshesForBrowsers,
  startCruddur,
  USERS,
  webDir,
} from './lib/stack.mjs';

const SHOTS = path.join(webDir, 'screenshots');
const VIEWPORT = { width: 1100, height: 680 };

let stack;
let web;
let browser;
let authFlow;
const axeReport = {};

async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

async function newPage() {
  const configOverrides = authFlow === 'USER_SRP_AUTH' ? {} : { authFlow };
  const context = await newContext(browser, { viewport: VIEWPORT, reducedMotion: 'reduce', configOverrides });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  return page;
}

async function signIn(page, user) {
  await page.goto(`${web.url}/signin`);
  await page.getByLabel('E-mail').fill(user.email);
  await page.getByLabel('Password').fill(DEV_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${web.url}/messages`, { timeout: 20_000 });
}

async function checkAxe(page, name) {
  const serious = await axeSerious(page);
  axeReport[name] = serious;
  assert.deepEqual(serious, [], `${name}: serious accessibility violations:\n${JSON.stringify(serious, null, 2)}`);
}

/** Presses Tab (or Shift+Tab) until `pred(activeElement)` holds. */
async function tabUntil(page, pred, { reverse = false, max = 60 } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(reverse ? 'Shift+Tab' : 'Tab');
    const ok = await page.evaluate(pred);
    if (ok) return;
  }
  throw new Error(`focus never reached the element (${pred})`);
}

/** A token for API calls made by the test itself (as another user). */
async function apiToken(user) {
  const res = await fetch(stack.cognitoUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
    body: JSON.stringify({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: 'cruddurlocalclient',
      AuthParameters: { USERNAME: user.email, PASSWORD: DEV_PASSWORD },
    }),
  });
  const body = await res.json();
  assert.ok(body.AuthenticationResult, JSON.stringify(body));
  return body.AuthenticationResult.AccessToken;
}

const tokens = new Map();
async function apiCall(user, method, p, body) {
  if (!tokens.has(user.email)) tokens.set(user.email, await apiToken(user));
  const res = await fetch(`${stack.apiUrl}${p}`, {
    method,
    headers: { Authorization: `Bearer ${tokens.get(user.email)}`, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json() };
}

describe('Cruddur web app in Chromium', { timeout: 600_000 }, () => {
  before(async () => {
    stack = await startCruddur();
    web = { url: stack.webUrl };
    authFlow = await chooseAuthFlow(stack.cognitoUrl);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
    if (Object.keys(axeReport).length) console.log(`# axe (serious/critical) per page: ${JSON.stringify(Object.fromEntries(Object.entries(axeReport).map(([k, v]) => [k, v.length])))}`);
  });

  let seedGroup; // andrew and bayko's conversation (the seed's)

  test('cruddur serve serves the app: /config.json, hashed assets, SPA routes, no traversal', async () => {
    const config = await fetch(`${web.url}/config.json`);
    assert.equal(config.status, 200);
    assert.equal(config.headers.get('cache-control'), 'no-store');
    const c = await config.json();
    const host = new URL(web.url).hostname;
    assert.deepEqual(Object.keys(c).sort(), ['apiUrl', 'authFlow', 'cognitoEndpoint', 'local', 'pollIntervalMs', 'region', 'userPoolClientId', 'userPoolId']);
    assert.equal(c.apiUrl, `http://${host}:${new URL(stack.apiUrl).port}`);
    assert.equal(c.cognitoEndpoint, `http://${host}:${new URL(stack.cognitoUrl).port}`);
    assert.equal(c.userPoolId, 'us-east-1_cruddur');
    assert.equal(c.authFlow, 'USER_SRP_AUTH');
    assert.equal(c.local, true);
    const index = await fetch(`${web.url}/messages/new/bayko`);
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(index.headers.get('cache-control'), 'no-store');
    const script = (await index.text()).match(/src="(\/assets\/[^"]+\.js)"/)[1];
    const asset = await fetch(`${web.url}${script}`);
    assert.equal(asset.status, 200);
    assert.equal(asset.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.match(asset.headers.get('cache-control'), /immutable/);
    assert.equal((await fetch(`${web.url}/assets/nope-123.js`)).status, 404);
    // fetch() would normalise these paths away: send them as they are
    for (const bad of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/%2E%2e/%2e./%2e%2e/etc/passwd']) {
      assert.equal(await rawStatus(web.url, bad), 400, bad);
    }
  });

  test('signed out: the sign-in, sign-up, confirm and forgot-password pages', async () => {
    const page = await newPage();
    await page.goto(`${web.url}/messages`);
    await page.waitForURL(`${web.url}/signin`);
    await page.getByRole('heading', { name: 'Sign in to Cruddur' }).waitFor();
    await shot(page, 'signin');
    await checkAxe(page, 'signin');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await shot(page, 'signup');
    await checkAxe(page, 'signup');
    await page.goto(`${web.url}/confirm?email=new%40example.com`);
    await page.getByText('Running locally: no e-mail is sent').waitFor();
    await shot(page, 'confirm');
    await checkAxe(page, 'confirm');
    await page.goto(`${web.url}/forgot`);
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await shot(page, 'forgot-password');
    await checkAxe(page, 'forgot-password');
    await page.context().close();
  });

  test('a wrong password is refused with a message', async () => {
    const page = await newPage();
    await page.goto(`${web.url}/signin`);
    await page.getByLabel('E-mail').fill(USERS.andrew.email);
    await page.getByLabel('Password').fill('Wrong1!wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Incorrect e-mail or password.' }).waitFor();
    await page.context().close();
  });

  test('sign in, /messages, open a conversation, send: the message is appended without a reload', async () => {
    const page = await newPage();
    await signIn(page, USERS.andrew);
    const banner = page.getByRole('banner');
    await banner.getByText(`@${USERS.andrew.handle}`).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Messages' }).getAttribute('aria-current'), 'page');
    const list = page.getByRole('navigation', { name: 'Conversations' });
    await list.getByRole('link').first().waitFor();
    await shot(page, 'messages');
    await checkAxe(page, 'messages');

    await list.getByRole('link', { name: /@bayko/ }).click();
    await page.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
    seedGroup = page.url().split('/').pop();
    const history = page.locator('.message-list .message');
    await history.first().waitFor();
    const before = await history.count();
    assert.ok(before > 0);
    // the Messages link stays active on a conversation
    assert.equal(await page.getByRole('link', { name: 'Messages', exact: true }).getAttribute('aria-current'), 'page');

    await page.evaluate(() => (window.__noReload = true));
    const text = `Hello from the e2e test ${Date.now()}`;
    const box = page.getByLabel('Message @bayko');
    await box.fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.message-list .message.mine .text', { hasText: text }).waitFor();
    assert.equal(await box.inputValue(), '');
    assert.equal(await page.evaluate(() => window.__noReload), true, 'the page was reloaded');
    assert.equal(await history.count(), before + 1);
    // newest at the bottom
    assert.equal(await history.last().locator('.text').textContent(), text);
    // the conversation moved to the top of the list with its new last message
    await list.getByRole('link').first().filter({ hasText: text }).waitFor();
    await shot(page, 'conversation');
    await checkAxe(page, 'conversation');

    // the counter counts code points and blocks an over-long message
    await box.fill('😀'.repeat(1025));
    await page.getByText('1 character too many').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Send' }).isDisabled(), true);
    await box.fill('   ');
    assert.equal(await page.getByRole('button', { name: 'Send' }).isDisabled(), true);
    await page.context().close();
  });

  test("another user's message shows up in the open conversation (live stream or polling)", async () => {
    const page = await newPage();
    await signIn(page, USERS.andrew);
    await page.goto(`${web.url}/messages/${seedGroup}`);
    await page.locator('.message-list .message').first().waitFor();
    const text = `Bayko says hi ${Date.now()}`;
    const r = await apiCall(USERS.bayko, 'POST', '/api/messages', { message: text, message_group_uuid: seedGroup });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await page.locator('.message-list .message .text', { hasText: text }).waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('.message-list .message .text', { hasText: text }).count(), 1);
    const status = await page.locator('.live-status').textContent();
    console.log(`# live status: ${status}`);
    await page.context().close();
  });

  test('/messages/new/<handle>: a new conversation; the same link later opens it', async () => {
    const page = await newPage();
    await signIn(page, USERS.andrew);
    await page.goto(`${web.url}/messages/new/${USERS.londo.handle}`);
    await page.getByRole('heading', { name: /New conversation with/ }).waitFor();
    await shot(page, 'new-conversation');
    await checkAxe(page, 'new-conversation');
    const text = `Ambassador! ${Date.now()}`;
    await page.getByLabel(`Message @${USERS.londo.handle}`).fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
    const uuid = page.url().split('/').pop();
    await page.locator('.message-list .message .text', { hasText: text }).waitFor();
    await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: /@londo/ }).waitFor();

    // an existing conversation: /messages/new/<handle> goes there
    await page.goto(`${web.url}/messages/new/${USERS.londo.handle}`);
    await page.waitForURL(`${web.url}/messages/${uuid}`);
    await page.goto(`${web.url}/messages/new/${USERS.bayko.handle}`);
    await page.waitForURL(`${web.url}/messages/${seedGroup}`);

    // nobody with that handle
    await page.goto(`${web.url}/messages/new/no_such_user_here`);
    await page.getByRole('heading', { name: 'User not found' }).waitFor();
    await page.context().close();
  });

  test('older messages load when scrolling up (X-Next-Cursor), newest at the bottom', async () => {
    // 30 messages between bayko and londo
    let group = null;
    for (let i = 1; i <= 30; i++) {
      const from = i % 2 ? USERS.bayko : USERS.londo;
      const body = group ? { message: `Line ${i}`, message_group_uuid: group } : { message: `Line ${i}`, handle: USERS.londo.handle };
      const r = await apiCall(from, 'POST', '/api/messages', body);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      group = r.body.message_group_uuid;
    }
    const page = await newPage();
    await signIn(page, USERS.londo);
    await page.goto(`${web.url}/messages/${group}`);
    const texts = page.locator('.message-list .message .text');
    await texts.last().waitFor();
    assert.equal(await texts.last().textContent(), 'Line 30');
    assert.equal(await texts.count(), 20); // one page
    // at the bottom: the newest is in view
    const atBottom = await page.locator('.message-scroll').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 5);
    assert.ok(atBottom, 'the conversation opens scrolled to the newest message');
    await page.locator('.message-scroll').evaluate((el) => el.scrollTo(0, 0));
    await page.getByText('This is the start of the conversation.').waitFor();
    assert.equal(await texts.count(), 30);
    assert.deepEqual(await texts.allTextContents(), Array.from({ length: 30 }, (_, i) => `Line ${i + 1}`));
    // the reader's place is kept: "Line 11" (the old top) is still in view
    const kept = await page.locator('.message-scroll').evaluate((el) => el.scrollTop > 0);
    assert.ok(kept, 'the view did not jump to the top after loading older messages');
    await page.context().close();
  });

  test('a conversation by page load, signed in: one read per API path, no Amplify, no call to the pool', async () => {
    const page = await newPage();
    await signIn(page, USERS.andrew);
    const pool = [];
    page.on('request', (r) => {
      const target = r.headers()['x-amz-target'];
      if (target) pool.push(target);
    });
    await page.goto(`${web.url}/messages/${seedGroup}`);
    await page.locator('.message-list .message').first().waitFor();
    await page.waitForTimeout(300); // anything late would show up
    const loaded = await page.evaluate(() =>
      performance.getEntriesByType('resource').map((e) => ({ path: new URL(e.name).pathname, type: e.initiatorType })),
    );
    // the token came from storage, not from Amplify: its chunk (and the sign-in pages') is not loaded
    const scripts = loaded.filter((e) => e.path.startsWith('/assets/') && e.path.endsWith('.js')).map((e) => e.path);
    assert.ok(scripts.length >= 2, `scripts: ${scripts}`);
    assert.deepEqual(scripts.filter((p) => /\/(amplify|AuthPages)-/.test(p)), [], `scripts: ${scripts}`);
    assert.deepEqual(pool, []);
    // the list and the conversation, each read once (by the start-up's prefetch, taken by the pages)
    const reads = loaded.filter((e) => e.path.startsWith('/api/') && e.path !== '/api/events').map((e) => e.path);
    assert.deepEqual(reads.sort(), ['/api/message_groups', `/api/messages/${seedGroup}`]);
    // /config.json once (preloaded by index.html, read by the app)
    assert.equal(loaded.filter((e) => e.path === '/config.json').length, 1);
    await page.context().close();
  });

  test('a conversation I am not part of shows "conversation not found"', async () => {
    const page = await newPage();
    await signIn(page, USERS.alt);
    await page.goto(`${web.url}/messages/${seedGroup}`);
    await page.getByRole('heading', { name: 'Conversation not found' }).waitFor();
    assert.equal(await page.locator('.message-list .message').count(), 0);
    await shot(page, 'conversation-not-found');
    await checkAxe(page, 'conversation-not-found');
    await page.context().close();
  });

  test('a token the API refuses is refreshed once and the request retried, unnoticed', async (t) => {
    if (!(await poolRefreshesForBrowsers(stack.cognitoUrl, web.url))) {
      return t.skip('the local pool lacks GetTokensFromRefreshToken (Amplify v6 refreshes with it)');
    }
    const page = await newPage();
    await signIn(page, USERS.londo);
    const statuses = [];
    page.on('response', (r) => {
      if (new URL(r.url()).pathname === '/api/message_groups') statuses.push(r.status());
    });
    // A token that looks valid to the app (same claims) but whose signature the API refuses.
    await page.evaluate(() => {
      for (const k of Object.keys(localStorage)) {
        if (k.endsWith('.accessToken')) {
          const t = localStorage.getItem(k);
          localStorage.setItem(k, t.slice(0, -4) + (t.endsWith('AAAA') ? 'BBBB' : 'AAAA'));
        }
      }
    });
    const calls = [];
    page.on('request', (r) => calls.push(`${r.method()} ${new URL(r.url()).pathname} ${r.headers()['x-amz-target']?.split('.')[1] ?? ''}`));
    page.on('response', (r) => calls.push(`  -> ${r.status()} ${new URL(r.url()).pathname}`));
    await page.goto(`${web.url}/messages`);
    // Not 'networkidle': the live-update stream keeps a request open.
    await page.getByRole('navigation', { name: 'Conversations' }).waitFor();
    for (let i = 0; i < 100 && statuses.at(-1) !== 200; i++) await page.waitForTimeout(100);
    assert.equal(new URL(page.url()).pathname, '/messages', `ended at ${page.url()}; requests:\n${calls.join('\n')}`);
    assert.ok(statuses.includes(401) && statuses.at(-1) === 200, `statuses: ${statuses.join(',')}`);
    await page.context().close();
  });

  test('a token the API refuses, with no way to refresh it, leads to sign-in', async () => {
    const page = await newPage();
    await signIn(page, USERS.bayko);
    await page.evaluate(() => {
      for (const k of Object.keys(localStorage)) {
        if (k.endsWith('.accessToken')) {
          const t = localStorage.getItem(k);
          localStorage.setItem(k, t.slice(0, -4) + (t.endsWith('AAAA') ? 'BBBB' : 'AAAA'));
        }
        if (k.endsWith('.refreshToken')) localStorage.setItem(k, 'not-a-refresh-token');
      }
    });
    await page.goto(`${web.url}/messages`);
    await page.waitForURL(`${web.url}/signin`, { timeout: 15_000 });
    await page.getByText('Your session has ended; sign in again.').waitFor();
    await page.context().close();
  });

  test('the whole flow with the keyboard alone', async () => {
    const page = await newPage();
    await page.goto(`${web.url}/signin`);
    await tabUntil(page, () => document.activeElement?.labels?.[0]?.textContent === 'E-mail');
    await page.keyboard.type(USERS.londo.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(DEV_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${web.url}/messages`, { timeout: 20_000 });

    // start a conversation from the form in the list
    await tabUntil(page, () => document.activeElement?.id === 'start-handle');
    await page.keyboard.type(`@${USERS.alt.handle}`);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${web.url}/messages/new/${USERS.alt.handle}`);
    await page.getByRole('heading', { name: /New conversation with/ }).waitFor();
    await tabUntil(page, () => document.activeElement?.tagName === 'TEXTAREA');
    await page.keyboard.type('Typed without a mouse');
    await page.keyboard.press('Control+Enter');
    await page.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
    await page.locator('.message-list .message .text', { hasText: 'Typed without a mouse' }).waitFor();

    // send another with Tab to the button and Enter
    await tabUntil(page, () => document.activeElement?.tagName === 'TEXTAREA');
    await page.keyboard.type('And a second one');
    await tabUntil(page, () => document.activeElement?.textContent === 'Send');
    await page.keyboard.press('Enter');
    await page.locator('.message-list .message .text', { hasText: 'And a second one' }).waitFor();

    // back to the list and into another conversation: the conversation links are reachable
    await tabUntil(page, () => !!document.activeElement?.closest('nav[aria-label="Conversations"]'), { reverse: true });
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/messages\/[0-9a-f-]{36}$/);

    // sign out
    await tabUntil(page, () => document.activeElement?.textContent === 'Sign out', { reverse: true });
    await page.keyboard.press('Enter');
    await page.waitForURL(`${web.url}/signin`);
    await page.getByText('You are signed out.').waitFor();
    await page.context().close();
  });

  test('sign up, confirm with the code from the server log, sign in', async () => {
    const page = await newPage();
    await explainFailure(page, async () => {
      const email = `vir${Date.now()}@example.com`;
      await page.goto(`${web.url}/signup`);
      await page.getByLabel('Name').fill('Vir Cotto');
      await page.getByLabel('E-mail').fill(email);
      await page.getByLabel('Handle').fill(`vir${Date.now() % 100000}`);
      await page.getByLabel('Password').fill('Narn1sBad!');
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.waitForURL(/\/confirm\?email=/);
      const code = await codeFromLog(email, 0);
      await page.getByLabel('Confirmation code').fill(code);
      await page.getByRole('button', { name: 'Confirm' }).click();
      await page.waitForURL(`${web.url}/signin`);
      await page.getByLabel('E-mail').fill(email);
      await page.getByLabel('Password').fill('Narn1sBad!');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${web.url}/messages`, { timeout: 20_000 });
      await page.getByRole('banner').getByText('Vir Cotto').waitFor();
      await page.getByText('No conversations yet.').waitFor();

      // forgot password: a code (in the log), a new password, sign in with it
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${web.url}/signin`);
      // The e-mail typed into sign-in goes along to the reset page. Wait for
      // that page before typing: its route loads lazily, and keys typed
      // meanwhile land on the sign-in form still showing.
      await page.getByLabel('E-mail').fill(email);
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
      assert.equal(await page.getByLabel('E-mail').inputValue(), email);
      await page.getByRole('button', { name: 'Send the code' }).click();
      await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      await page.getByText('Running locally: no e-mail is sent').waitFor();
      await shot(page, 'forgot-password-code');
      await checkAxe(page, 'forgot-password-code');
      const resetCode = await codeFromLog(email, 1);
      await page.getByLabel('Code', { exact: true }).fill(resetCode);
      await page.getByLabel('New password').fill('Londo4Emperor!');
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.waitForURL(`${web.url}/signin`);
      await page.getByText('Your password is changed').waitFor();
      await page.getByLabel('E-mail').fill(email);
      await page.getByLabel('Password').fill('Londo4Emperor!');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${web.url}/messages`, { timeout: 20_000 });
    });
    await page.context().close();
  });
});

/**
 * Runs `steps`; when one fails, rethrows with what a reader of a CI log needs:
 * the page's address, its alerts and headings, and the server log's last lines.
 */
async function explainFailure(page, steps) {
  try {
    await steps();
  } catch (e) {
    let seen = '';
    try {
      const texts = await page.evaluate(() =>
        [...document.querySelectorAll('[role="alert"], [role="status"], h1, h2, .error')].map((n) => n.textContent?.trim()),
      );
      seen = `page: ${page.url()}\nvisible: ${JSON.stringify(texts)}`;
    } catch (inner) {
      seen = `page: unreadable (${inner.message})`;
    }
    const tail = stack.log().trimEnd().split('\n').slice(-40).join('\n');
    // The test reporter prints `stack`, which was fixed when the error was made.
    const more = `\n${seen}\nserver log (last 40 lines):\n${tail}`;
    e.message += more;
    if (typeof e.stack === 'string') e.stack += more;
    throw e;
  }
}

/** The status of a GET of `rawPath` exactly as written (no URL normalisation). */
function rawStatus(origin, rawPath) {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const host = hostname === 'localhost' ? '127.0.0.1' : hostname;
    const req = http.get({ host, port, path: rawPath }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
  });
}

/** The `index`-th code the local pool logged for `email` (waits for it). */
async function codeFromLog(email, index) {
  for (let i = 0; i < 100; i++) {
    const codes = stack
      .log()
      .split('\n')
      .filter((l) => l.includes('"userpool_confirmation_code"') && l.includes(email))
      .map((l) => {
        try {
          return JSON.parse(l).code; // a line still being written is skipped until whole
        } catch {
          return undefined;
        }
      })
      .filter((c) => typeof c === 'string');
    if (codes.length > index) return codes[index];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no code #${index} for ${email} in the server log`);
}
