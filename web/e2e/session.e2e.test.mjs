// Browser end-to-end tests of the session: an access token that expires
// while the page is open is refreshed (REFRESH_TOKEN_AUTH at the local pool)
// without the user noticing. The stack issues 3-second access tokens
// (CRUDDUR_POOL_ACCESS_TOKEN_SECONDS) so that expiry comes quickly. Run with
// web/e2e/run.sh.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chooseAuthFlow, launchChromium, newContext, poolRefreshesForBrowsers, SEED_GROUP, shot, signIn, startCruddur, USERS } from './lib/stack.mjs';

const TOKEN_SECONDS = 3;

let stack;
let browser;
let authFlow;
let refreshes = true;

/** The page's stored Cognito access token (Amplify keeps it in localStorage). */
function storedAccessToken(page) {
  return page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.endsWith('.accessToken'));
    return key ? localStorage.getItem(key) : null;
  });
}

function claims(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
}

describe('the session in Chromium', { timeout: 300_000 }, () => {
  before(async () => {
    stack = await startCruddur({ env: { CRUDDUR_POOL_ACCESS_TOKEN_SECONDS: String(TOKEN_SECONDS) } });
    authFlow = await chooseAuthFlow(stack.cognitoUrl);
    refreshes = await poolRefreshesForBrowsers(stack.cognitoUrl, stack.webUrl);
    if (!refreshes) console.log('# the local pool does not answer GetTokensFromRefreshToken (Amplify v6 refreshes with it): refresh tests skipped');
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('an expired access token is refreshed without the user noticing', async (t) => {
    if (!refreshes) return t.skip('the local pool lacks GetTokensFromRefreshToken');
    const configOverrides = authFlow === 'USER_SRP_AUTH' ? {} : { authFlow };
    const context = await newContext(browser, { viewport: { width: 1100, height: 680 }, configOverrides });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    const poolCalls = [];
    page.on('request', (r) => {
      const target = r.headers()['x-amz-target'] ?? '';
      if (target.startsWith('AWSCognitoIdentityProviderService.')) {
        poolCalls.push(`${target.split('.')[1]}:${JSON.parse(r.postData() ?? '{}').AuthFlow ?? ''}`);
      }
    });
    const apiStatuses = [];
    page.on('response', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/')) apiStatuses.push(r.status());
    });

    await signIn(page, stack.webUrl, USERS.andrew);
    await page.goto(`${stack.webUrl}/messages/${SEED_GROUP}`);
    await page.locator('.message-list .message').first().waitFor();
    await page.evaluate(() => (window.__noReload = true));
    const first = await storedAccessToken(page);
    assert.ok(first, 'no access token stored');
    assert.ok(claims(first).exp - claims(first).iat <= TOKEN_SECONDS, 'the stack issues short tokens');

    // Let it expire, with the conversation open.
    const wait = claims(first).exp * 1000 - Date.now() + 1500;
    if (wait > 0) await page.waitForTimeout(wait);
    assert.ok(claims(first).exp * 1000 < Date.now(), 'the first token has expired');
    const isRefresh = (c) => c === 'InitiateAuth:REFRESH_TOKEN_AUTH' || c.startsWith('GetTokensFromRefreshToken');
    const refreshesBefore = poolCalls.filter(isRefresh).length;

    const text = `Sent with an expired token ${Date.now()}`;
    await page.getByLabel(`Message @${USERS.bayko.handle}`).fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.message-list .message.mine .text', { hasText: text }).waitFor({ timeout: 15_000 });

    // Nothing the user would notice: same page, no reload, no sign-in, no error shown.
    assert.equal(new URL(page.url()).pathname, `/messages/${SEED_GROUP}`);
    assert.equal(await page.evaluate(() => window.__noReload), true, 'the page was reloaded');
    assert.deepEqual((await page.getByRole('alert').allTextContents()).filter((t) => t.trim()), [], 'an error was shown');
    // ... and behind it: a refresh at the pool and a new token.
    const refreshCount = poolCalls.filter(isRefresh).length;
    assert.ok(refreshCount > refreshesBefore, `no refresh (pool calls: ${poolCalls.join(', ')})`);
    assert.equal(poolCalls.filter((c) => c.startsWith('InitiateAuth:USER_')).length, 1, 'the user was signed in again');
    const second = await storedAccessToken(page);
    assert.notEqual(second, first);
    assert.ok(claims(second).exp > claims(first).exp);
    assert.equal(claims(second).sub, claims(first).sub);
    assert.ok(!apiStatuses.includes(401), `the API refused a token (statuses ${apiStatuses.join(',')})`);
    console.log(`# pool calls: ${poolCalls.length} (${refreshCount} refreshes); API answers: ${apiStatuses.length}`);
    await shot(page, 'session-refreshed');
    await context.close();
  });
});
