import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../config';

const base = { userPoolId: 'us-east-1_cruddur', userPoolClientId: 'cruddurlocalclient' };

describe('parseConfig', () => {
  it('fills defaults: SRP, same-origin API, AWS Cognito, region from the pool id', () => {
    expect(parseConfig(base)).toEqual({
      apiUrl: '',
      region: 'us-east-1',
      userPoolId: 'us-east-1_cruddur',
      userPoolClientId: 'cruddurlocalclient',
      cognitoEndpoint: null,
      authFlow: 'USER_SRP_AUTH',
      local: false,
      pollIntervalMs: 5000,
    });
  });
  it('takes the local stack settings', () => {
    const c = parseConfig({
      ...base,
      apiUrl: 'http://localhost:4567/',
      region: 'us-east-1',
      cognitoEndpoint: 'http://localhost:8000',
      authFlow: 'USER_PASSWORD_AUTH',
      local: true,
    });
    expect(c).toMatchObject({ apiUrl: 'http://localhost:4567', cognitoEndpoint: 'http://localhost:8000', authFlow: 'USER_PASSWORD_AUTH', local: true });
  });
  it('lists every problem', () => {
    expect(() => parseConfig({ region: 'eu-west-1', userPoolId: 'us-east-1_x', authFlow: 'CUSTOM', apiUrl: 'ftp://x' })).toThrow(
      /userPoolClientId is missing; authFlow must be one of .*; userPoolId us-east-1_x is not in region eu-west-1; apiUrl must be an http\(s\) URL/,
    );
    expect(() => parseConfig([])).toThrow(ConfigError);
  });
});

describe('loadConfig', () => {
  afterEach(() => {
    delete window.__CRUDDUR_CONFIG__;
  });
  it('prefers window.__CRUDDUR_CONFIG__', async () => {
    window.__CRUDDUR_CONFIG__ = base;
    const c = await loadConfig(() => Promise.reject(new Error('must not fetch')));
    expect(c.userPoolId).toBe('us-east-1_cruddur');
  });
  it('else fetches /config.json', async () => {
    const urls: string[] = [];
    const c = await loadConfig((async (u: string) => {
      urls.push(u);
      return new Response(JSON.stringify({ ...base, apiUrl: 'http://a:1' }));
    }) as unknown as typeof fetch);
    expect(urls).toEqual(['/config.json']);
    expect(c.apiUrl).toBe('http://a:1');
  });
  it('fails clearly when /config.json is missing', async () => {
    await expect(loadConfig((async () => new Response('', { status: 404 })) as unknown as typeof fetch)).rejects.toThrow('/config.json answered 404');
  });
});
