// Browser end-to-end tests of conversations at their edges: two people
// talking in two browsers at once (the other's message arrives without a
// reload: by the live event stream when the server has one, else by polling
// within pollIntervalMs), and a conversation of 1,200 messages scrolled back
// to its first. Run with web/e2e/run.sh.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { batchPut, messageItem, sortKey } from './lib/ddb.mjs';
import { apiClient, chooseAuthFlow, launchChromium, newContext, shot, signIn, startCruddur, USERS } from './lib/stack.mjs';

const VIEWPORT = { width: 1100, height: 680 };
const TABLE = 'cruddur-messages';

let stack;
let browser;
let authFlow;
let apiCall;
let config;

async function newPage() {
  const configOverrides = authFlow === 'USER_SRP_AUTH' ? {} : { authFlow };
  const context = await newContext(browser, { viewport: VIEWPORT, reducedMotion: 'reduce', configOverrides });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  return page;
}

/** Sends `text` with the open conversation's form; resolves once it is shown as mine. */
async function send(page, to, text) {
  await page.getByLabel(`Message @${to.handle}`).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
  await page.locator('.message-list .message.mine .text', { hasText: text }).waitFor();
}

/** Waits for `text` to appear in `page` (no reload); resolves with how long it took. */
async function arrives(page, text, timeout) {
  const t0 = Date.now();
  await page.locator('.message-list .message .text', { hasText: text }).waitFor({ timeout });
  return Date.now() - t0;
}

describe('conversations in Chromium', { timeout: 600_000 }, () => {
  before(async () => {
    // Throttling off: the 1,200 messages are written in one go.
    stack = await startCruddur({ args: ['--no-throttling'] });
    authFlow = await chooseAuthFlow(stack.cognitoUrl);
    apiCall = apiClient(stack);
    config = await (await fetch(`${stack.webUrl}/config.json`)).json();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('two users in two browsers converse; each sees the other without a reload', async () => {
    // The seed's conversation, as GET /api/users/@bayko/short names it for andrew.
    const short = await apiCall(USERS.andrew, 'GET', `/api/users/@${USERS.bayko.handle}/short`);
    assert.equal(short.status, 200);
    const group = short.body.message_group_uuid;
    assert.match(group, /^[0-9a-f-]{36}$/);

    const andrew = await newPage();
    const bayko = await newPage();
    await Promise.all([signIn(andrew, stack.webUrl, USERS.andrew), signIn(bayko, stack.webUrl, USERS.bayko)]);
    for (const page of [andrew, bayko]) {
      await page.goto(`${stack.webUrl}/messages/${group}`);
      await page.locator('.message-list .message').first().waitFor();
      await page.evaluate(() => (window.__noReload = true));
    }
    // Whichever way updates come, they come within one poll interval (plus the request).
    const limit = config.pollIntervalMs + 4000;
    const latencies = [];
    for (let round = 1; round <= 2; round++) {
      const ping = `Andrew, round ${round}: are you there? ${Date.now()}`;
      await send(andrew, USERS.bayko, ping);
      latencies.push(await arrives(bayko, ping, limit));
      const pong = `Bayko, round ${round}: right here. ${Date.now()}`;
      await send(bayko, USERS.andrew, pong);
      latencies.push(await arrives(andrew, pong, limit));
      // each message once, newest at the bottom, on both sides
      for (const page of [andrew, bayko]) {
        assert.equal(await page.locator('.message-list .message .text', { hasText: pong }).count(), 1);
        assert.equal(await page.locator('.message-list .message .text').last().textContent(), pong);
      }
    }
    // the list of each moved the conversation up with the last message
    for (const page of [andrew, bayko]) {
      const list = page.getByRole('navigation', { name: 'Conversations' });
      await list.getByRole('link').first().filter({ hasText: 'right here' }).waitFor({ timeout: limit });
      assert.equal(await page.evaluate(() => window.__noReload), true, 'a page was reloaded');
    }
    const status = (await andrew.locator('.live-status').textContent().catch(() => '')) || '(none)';
    console.log(`# delivery to the other browser: ${latencies.join(', ')} ms (poll interval ${config.pollIntervalMs} ms; live status: ${status.trim()})`);
    await shot(andrew, 'two-users-andrew');
    await shot(bayko, 'two-users-bayko');
    await andrew.context().close();
    await bayko.context().close();
  });

  test('a conversation of 1,200 messages scrolls back to its first message', async () => {
    // CRUDDUR_E2E_LONG_MESSAGES shortens it on a slow machine (60 pages take ~2 minutes on 2 busy cores).
    const TOTAL = Number(process.env.CRUDDUR_E2E_LONG_MESSAGES ?? 1200);
    // Londo starts it through the API (its newest message) ...
    const started = await apiCall(USERS.londo, 'POST', '/api/messages', { handle: USERS.alt.handle, message: `Message ${TOTAL}` });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const group = started.body.message_group_uuid;
    const londo = (await apiCall(USERS.alt, 'GET', `/api/users/@${USERS.londo.handle}/short`)).body;
    const alt = (await apiCall(USERS.londo, 'GET', `/api/users/@${USERS.alt.handle}/short`)).body;
    assert.equal(alt.message_group_uuid, group);
    assert.equal(londo.message_group_uuid, group);
    // ... and the 1,199 before it go straight into the engine, a minute apart, two days ago.
    const t0 = Date.now() - 2 * 86_400_000;
    const items = [];
    for (let i = 1; i < TOTAL; i++) {
      const sender = i % 2 ? londo : alt;
      items.push(messageItem(group, sortKey(t0 + i * 60_000), randomUUID(), sender, `Message ${i}`));
    }
    const seeded = Date.now();
    await batchPut(stack.cognitoUrl, TABLE, items);
    console.log(`# seeded ${items.length} messages with BatchWriteItem in ${Date.now() - seeded} ms`);

    const page = await newPage();
    await signIn(page, stack.webUrl, USERS.londo);
    await page.goto(`${stack.webUrl}/messages/${group}`);
    const texts = page.locator('.message-list .message .text');
    await texts.last().waitFor();
    assert.equal(await texts.last().textContent(), `Message ${TOTAL}`);
    const pageSize = await texts.count();
    assert.ok(pageSize < TOTAL, 'the conversation opens with one page, not everything');

    // Scroll up until the start: each time at the top, the next older page loads.
    const scroller = page.locator('.message-scroll');
    const startMark = page.getByText('This is the start of the conversation.');
    const began = Date.now();
    let loads = 0;
    while (!(await startMark.isVisible())) {
      assert.ok(Date.now() - began < 240_000, `still not at the start after ${loads} pages`);
      const before = await texts.count();
      await scroller.evaluate((el) => el.scrollTo(0, 0));
      await page.waitForFunction((n) => document.querySelectorAll('.message-list .message').length > n || !document.querySelector('.older button'), before, {
        timeout: 20_000,
        polling: 50,
      });
      loads++;
    }
    const all = await texts.allTextContents();
    assert.equal(all.length, TOTAL);
    assert.deepEqual(all, Array.from({ length: TOTAL }, (_, i) => `Message ${i + 1}`));
    // the first message can be brought into view
    await scroller.evaluate((el) => el.scrollTo(0, 0));
    const first = texts.first();
    assert.equal(await first.textContent(), 'Message 1');
    const [box, view] = await Promise.all([first.boundingBox(), scroller.boundingBox()]);
    assert.ok(box && view && box.y >= view.y - 1 && box.y < view.y + view.height, 'the first message is in view');
    console.log(`# scrolled back through ${loads} pages of older messages in ${Date.now() - began} ms`);
    await shot(page, 'conversation-1200-start');
    await page.context().close();
  });
});
