#!/usr/bin/env node
// The browser part of the web section of `make bench` (issue 12), run by
// bench/web.sh. Starts its own `cruddur serve` serving web/dist (temporary
// data, free ports: web/e2e/lib/stack.mjs) and drives Debian's Chromium with
// playwright-core from web/node_modules, headless, one page at a time:
//
//   JS shipped   every script the page loads (sign-in page, signing in, a
//                conversation), fetched again from the server as the browser
//                asks for it (Accept-Encoding: gzip): the bytes on the wire
//   sign-in      through the sign-in page with the app's own flow (SRP when
//                the pool answers it): from the form's submit event to the
//                app's navigation to /messages; a fresh browser context each
//   load         signed in, page.goto(/messages/<g>) of a conversation of
//                MESSAGES messages: from navigation start (performance's
//                time origin) to the newest message in the DOM, laid out and
//                inside the scroll box; with the same document's resource
//                timing of the API calls (/api/..., not the event stream):
//                the time at least one of them was in flight
//   open         the same conversation opened in the app: from the click on
//                it in the conversation list to its newest message shown, and
//                the API calls made after the click
//   direct       the same GETs issued from Node (no browser), for information
//
// Writes key=value facts (bench/web.py report reads them) to --out, progress
// to stderr. Everything it starts is stopped by PID (stack.mjs).
//   node bench/web.mjs [--out FILE] [--runs 20] [--signins 10] [--messages 80]
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { batchPut, messageItem, sortKey } from '../web/e2e/lib/ddb.mjs';
import { apiClient, apiToken, DEV_PASSWORD, launchChromium, newContext, poolSupportsSrp, signIn, startCruddur, USERS } from '../web/e2e/lib/stack.mjs';

const { values: opt } = parseArgs({
  options: {
    out: { type: 'string' },
    runs: { type: 'string', default: '20' },
    signins: { type: 'string', default: '10' },
    messages: { type: 'string', default: '80' },
  },
});
const RUNS = Number(opt.runs);
const SIGNINS = Number(opt.signins);
const MESSAGES = Number(opt.messages);
const VIEWPORT = { width: 1100, height: 680 }; // as the e2e tests
const TABLE = 'cruddur-messages';
const log = (s) => console.error(`bench web: ${s}`);
const facts = [];
const fact = (k, v) => facts.push(`${k}=${Array.isArray(v) ? v.join(' ') : v}`);
const ms = (x) => Math.round(x * 100) / 100;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

// In every page, from its start: the first moment (performance.now()) at
// which the conversation's newest message is in the DOM, laid out and inside
// the scroll box (window.__benchShown), and the frame after it
// (__benchFrame). Checked on every DOM mutation batch: after React's commit
// and its layout effects (the list scrolls to the newest there).
// window.__benchArm(text) re-arms it for the next conversation shown.
// Also counts the API calls (not the event stream) the page starts, so that
// the measurement waits for all of them to end (window.__benchApiStarted).
function observeShown(text) {
  window.__benchTarget = text;
  window.__benchShown = null;
  window.__benchFrame = null;
  window.__benchClick = null;
  window.__benchApiStarted = 0;
  window.__benchArm = (t) => {
    window.__benchTarget = t;
    window.__benchShown = null;
    window.__benchFrame = null;
    window.__benchApiStarted = 0;
  };
  const fetch = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (/\/api\//.test(url) && !/\/api\/events/.test(url)) window.__benchApiStarted++;
    return fetch.call(this, input, init);
  };
  document.addEventListener('click', (e) => (window.__benchClick = e.timeStamp), true);
  const check = () => {
    if (window.__benchShown !== null) return;
    const last = document.querySelector('.message-list > .message:last-child .text');
    const box = document.querySelector('.message-scroll');
    if (!last || !box || last.textContent !== window.__benchTarget) return;
    const r = last.getBoundingClientRect();
    const b = box.getBoundingClientRect();
    if (r.height <= 0 || r.bottom <= b.top || r.top >= b.bottom) return;
    window.__benchShown = { t: performance.now(), count: document.querySelectorAll('.message-list > .message').length };
    requestAnimationFrame(() => (window.__benchFrame = performance.now()));
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
}

// The page's API calls (not the event stream, which stays open) since `from`
// (ms on the page's clock): how many, and for how long at least one was in
// flight (the union of their [startTime, responseEnd]; a CORS preflight is
// inside its request's entry).
function apiEntries(from) {
  return performance.getEntriesByType('resource').filter((e) => e.startTime >= from && /\/api\//.test(e.name) && !/\/api\/events/.test(e.name));
}
function apiCalls(from, apiEntries) {
  const entries = apiEntries(from);
  const spans = entries.map((e) => [e.startTime, e.responseEnd]).sort((a, b) => a[0] - b[0]);
  let busy = 0;
  let end = -Infinity;
  for (const [s, e] of spans) {
    if (e <= end) continue;
    busy += e - Math.max(s, end);
    end = e;
  }
  const pool = performance.getEntriesByType('resource').filter((e) => e.startTime >= from && e.initiatorType === 'fetch' && !/\/api\//.test(e.name) && !/config\.json/.test(e.name));
  const first = spans.length ? spans[0][0] : NaN;
  const messages = entries.filter((e) => new URL(e.name).pathname.startsWith('/api/messages/')).map((e) => e.responseEnd);
  return { count: entries.length, busy, first, messagesEnd: Math.max(...messages), names: entries.map((e) => new URL(e.name).pathname), pool: pool.length };
}

/** Waits until every API call the page started (since `from` on its clock) has its resource timing entry. */
async function allAnswered(page, from) {
  await page.waitForFunction(`(${apiEntries})(${from}).length >= window.__benchApiStarted`, null, { timeout: 30_000, polling: 20 });
}

/** GET url from Node with `headers`; resolves with the status, headers and the bytes as sent. */
function getRaw(url, headers = {}) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

let stack;
let browser;
// Stopped (by bench/web.sh's cleanup, Ctrl-C): the server at once, by its PID
// (playwright-core's own SIGINT handler exits right away), then the rest.
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    try {
      if (stack) process.kill(stack.pid, 'SIGTERM');
    } catch {} // it has exited
    await browser?.close().catch(() => {});
    await stack?.stop().catch(() => {});
    process.exit(sig === 'SIGINT' ? 130 : 143);
  });
}

async function main() {
  stack = await startCruddur({ args: ['--no-throttling'] }); // many sign-ins in a row
  try {
    log(`cruddur serve: web ${stack.webUrl}, API ${stack.apiUrl} (pid ${stack.pid})`);
    const srp = await poolSupportsSrp(stack.cognitoUrl);
    const configOverrides = srp ? {} : { authFlow: 'USER_PASSWORD_AUTH' };
    fact('signin_flow', srp ? 'USER_SRP_AUTH' : 'USER_PASSWORD_AUTH (the pool does not answer SRP)');
    browser = await launchChromium();
    fact('browser', `${browser.browserType().name()} ${browser.version()} headless (playwright-core)`);
    const newPage = async () => {
      const context = await newContext(browser, { viewport: VIEWPORT, reducedMotion: 'reduce', configOverrides });
      const page = await context.newPage();
      page.on('pageerror', (e) => log(`page error: ${e.message}`));
      return page;
    };

    // --- The conversation: Londo starts it through the API (its newest
    // message), the MESSAGES-1 before it go straight into the engine.
    const apiCall = apiClient(stack);
    const newest = `Message ${MESSAGES}`;
    const started = await apiCall(USERS.londo, 'POST', '/api/messages', { handle: USERS.alt.handle, message: newest });
    if (started.status !== 200) throw new Error(`POST /api/messages: ${started.status} ${JSON.stringify(started.body)}`);
    const group = started.body.message_group_uuid;
    const londo = (await apiCall(USERS.alt, 'GET', `/api/users/@${USERS.londo.handle}/short`)).body;
    const alt = (await apiCall(USERS.londo, 'GET', `/api/users/@${USERS.alt.handle}/short`)).body;
    const t0 = Date.now() - 2 * 86_400_000;
    const items = [];
    for (let i = 1; i < MESSAGES; i++) items.push(messageItem(group, sortKey(t0 + i * 60_000), randomUUID(), i % 2 ? londo : alt, `Message ${i}`));
    await batchPut(stack.cognitoUrl, TABLE, items);
    fact('conversation_messages', MESSAGES);
    log(`conversation ${group}: ${MESSAGES} messages`);

    // --- Sign-in: a fresh context each time (the first also notes every
    // script any page loads, for the JS shipped).
    const scripts = new Set();
    const signinMs = [];
    const poolCalls = [];
    for (let i = 0; i < SIGNINS; i++) {
      const page = await newPage();
      if (i === 0) {
        page.on('response', (r) => {
          const u = new URL(r.url());
          if (u.origin === stack.webUrl && (r.request().resourceType() === 'script' || /\.m?js$/.test(u.pathname))) scripts.add(r.url());
        });
      }
      await page.addInitScript(() => {
        document.addEventListener('submit', (e) => (window.__benchSubmit = e.timeStamp), true);
        for (const m of ['pushState', 'replaceState']) {
          const orig = history[m].bind(history);
          history[m] = (...a) => {
            const r = orig(...a);
            if (window.__benchSignedIn == null && location.pathname === '/messages') window.__benchSignedIn = performance.now();
            return r;
          };
        }
      });
      await page.goto(`${stack.webUrl}/signin`);
      await page.getByLabel('E-mail').fill(USERS.londo.email);
      await page.getByLabel('Password').fill(DEV_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${stack.webUrl}/messages`, { timeout: 30_000 });
      const r = await page.evaluate(() => {
        const pool = performance.getEntriesByType('resource').filter((e) => e.startTime >= window.__benchSubmit && e.initiatorType === 'fetch' && !/\/api\//.test(e.name));
        return { ms: window.__benchSignedIn - window.__benchSubmit, pool: pool.length };
      });
      signinMs.push(ms(r.ms));
      poolCalls.push(r.pool);
      if (i === 0) {
        // open the conversation once, so that its scripts (if any are split off) count too
        await page.goto(`${stack.webUrl}/messages/${group}`);
        await page.locator('.message-list .message .text', { hasText: newest }).waitFor();
      }
      await page.context().close();
    }
    fact('signin_ms', signinMs);
    fact('signin_pool_calls', poolCalls);
    log(`sign-in (submit to /messages), ms: ${signinMs.join(' ')}`);

    // --- JS shipped: each script again, as the browser asks for it.
    let served = 0;
    let raw = 0;
    let gz9 = 0;
    const encodings = new Set();
    for (const url of scripts) {
      const g = await getRaw(url, { 'Accept-Encoding': 'gzip, deflate, br' });
      const plain = await getRaw(url, { 'Accept-Encoding': 'identity' });
      if (g.status !== 200 || plain.status !== 200) throw new Error(`GET ${url}: ${g.status}/${plain.status}`);
      served += g.body.length;
      raw += plain.body.length;
      gz9 += zlib.gzipSync(plain.body, { level: 9 }).length;
      encodings.add(g.headers['content-encoding'] ?? 'identity');
    }
    fact('js_files', [...scripts].map((u) => new URL(u).pathname));
    fact('js_served_bytes', served);
    fact('js_served_encoding', [...encodings]);
    fact('js_raw_bytes', raw);
    fact('js_gzip9_bytes', gz9);
    log(`JS: ${scripts.size} file(s), ${served} bytes served (${[...encodings]}), ${raw} raw, ${gz9} at gzip -9`);

    // --- Opening the conversation, signed in (one context, as a person would).
    const page = await newPage();
    await signIn(page, stack.webUrl, USERS.londo);
    await page.addInitScript(observeShown, newest);
    const convUrl = `${stack.webUrl}/messages/${group}`;
    const load = { ms: [], frame: [], api: [], before: [], after: [], calls: new Set(), shown: new Set(), pool: 0 };
    for (let i = 0; i < RUNS + 1; i++) {
      await page.goto(convUrl);
      await page.waitForFunction(() => window.__benchShown !== null, null, { timeout: 30_000, polling: 20 });
      await page.waitForFunction(() => window.__benchFrame !== null, null, { timeout: 10_000, polling: 20 });
      await allAnswered(page, 0);
      const r = await page.evaluate(`(${apiCalls})(0, ${apiEntries})`);
      const shown = await page.evaluate(() => ({ ...window.__benchShown, frame: window.__benchFrame }));
      if (i === 0) continue; // the first: warms the page's caches
      load.ms.push(ms(shown.t));
      load.frame.push(ms(shown.frame));
      load.api.push(ms(r.busy));
      load.before.push(ms(r.first));
      load.after.push(ms(shown.t - r.messagesEnd));
      load.calls.add(`${r.count}:${r.names.join(',')}`);
      load.shown.add(shown.count);
      load.pool += r.pool;
    }
    fact('load_ms', load.ms);
    fact('load_frame_ms', load.frame);
    fact('load_api_ms', load.api);
    fact('load_before_api_ms', load.before);
    fact('load_after_api_ms', load.after);
    fact('load_api_calls', [...load.calls].join(' | ').replaceAll(group, '<g>'));
    fact('load_shown_messages', [...load.shown]);
    fact('load_pool_calls', load.pool);
    log(`load: shown ms ${load.ms.join(' ')}; API ms ${load.api.join(' ')}`);

    // In the app: from /messages (the list loaded), click the conversation.
    const open = { ms: [], frame: [], api: [], before: [], after: [], calls: new Set(), shown: new Set() };
    const link = page.locator(`a[href="/messages/${group}"]`);
    await page.goto(`${stack.webUrl}/messages`);
    for (let i = 0; i < RUNS + 1; i++) {
      await link.waitFor();
      await page.evaluate((t) => {
        window.__benchArm(t);
        performance.clearResourceTimings();
      }, newest);
      await link.click();
      await page.waitForFunction(() => window.__benchShown !== null, null, { timeout: 30_000, polling: 20 });
      await page.waitForFunction(() => window.__benchFrame !== null, null, { timeout: 10_000, polling: 20 });
      const shown = await page.evaluate(() => ({ ...window.__benchShown, frame: window.__benchFrame, click: window.__benchClick }));
      await allAnswered(page, shown.click);
      const r = await page.evaluate(`(${apiCalls})(${shown.click}, ${apiEntries})`);
      await page.goBack(); // in the app: back to the list, the same document
      await page.waitForURL(`${stack.webUrl}/messages`);
      await page.locator('.message-list').waitFor({ state: 'detached' });
      if (i === 0) continue;
      open.ms.push(ms(shown.t - shown.click));
      open.frame.push(ms(shown.frame - shown.click));
      open.api.push(ms(r.busy));
      open.before.push(ms(r.first - shown.click));
      open.after.push(ms(shown.t - r.messagesEnd));
      open.calls.add(`${r.count}:${r.names.join(',')}`);
      open.shown.add(shown.count);
    }
    fact('open_ms', open.ms);
    fact('open_frame_ms', open.frame);
    fact('open_api_ms', open.api);
    fact('open_before_api_ms', open.before);
    fact('open_after_api_ms', open.after);
    fact('open_api_calls', [...open.calls].join(' | ').replaceAll(group, '<g>'));
    fact('open_shown_messages', [...open.shown]);
    log(`open: shown ms ${open.ms.join(' ')}; API ms ${open.api.join(' ')}`);
    await page.context().close();

    // --- The same GETs from Node (keep-alive fetch, one at a time).
    const token = await apiToken(stack.cognitoUrl, USERS.londo);
    const direct = async (p) => {
      const xs = [];
      for (let i = 0; i < RUNS + 1; i++) {
        const t = performance.now();
        const res = await fetch(`${stack.apiUrl}${p}`, { headers: { Authorization: `Bearer ${token}` } });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`GET ${p}: ${res.status}`);
        if (i) xs.push(performance.now() - t);
      }
      return ms(median(xs));
    };
    fact('direct_messages_ms', await direct(`/api/messages/${group}`));
    fact('direct_groups_ms', await direct('/api/message_groups'));
  } finally {
    await browser?.close();
    await stack.stop();
  }
  const text = facts.join('\n') + '\n';
  if (opt.out) writeFileSync(opt.out, text);
  else process.stdout.write(text);
}

main().catch((e) => {
  log(e.stack ?? String(e));
  process.exit(1);
});
