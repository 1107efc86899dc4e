// The runtime configuration: one JSON object, from window.__CRUDDUR_CONFIG__
// when the page defines it, else from GET /config.json (format: web/README.md).
// Nothing about the deployment is compiled into the bundle.

/** Amplify's sign-in flow. The default is Amplify's own default, SRP. */
export type AuthFlow = 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';
export const DEFAULT_AUTH_FLOW: AuthFlow = 'USER_SRP_AUTH';
const AUTH_FLOWS: readonly AuthFlow[] = ['USER_SRP_AUTH', 'USER_PASSWORD_AUTH'];

export interface CruddurConfig {
  /** The API's origin ("http://localhost:4567"); "" means the page's own origin. */
  apiUrl: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  /** A Cognito endpoint other than AWS's (the local pool: "http://localhost:8000"); null for AWS. */
  cognitoEndpoint: string | null;
  authFlow: AuthFlow;
  /** The local stack: no e-mail is sent, codes are in the server log. */
  local: boolean;
  /** Polling period when the server has no event stream. */
  pollIntervalMs: number;
}

declare global {
  interface Window {
    __CRUDDUR_CONFIG__?: unknown;
  }
}

export class ConfigError extends Error {}

/** Checks and completes a configuration object; throws ConfigError listing every problem. */
export function parseConfig(raw: unknown): CruddurConfig {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError('the configuration is not a JSON object');
  const o = raw as Record<string, unknown>;
  const problems: string[] = [];
  const str = (k: string, required: boolean): string => {
    const v = o[k];
    if (v === undefined || v === null) {
      if (required) problems.push(`${k} is missing`);
      return '';
    }
    if (typeof v !== 'string') {
      problems.push(`${k} must be a string`);
      return '';
    }
    if (required && !v) problems.push(`${k} is empty`);
    return v;
  };
  const apiUrl = str('apiUrl', false);
  const userPoolId = str('userPoolId', true);
  const userPoolClientId = str('userPoolClientId', true);
  const region = str('region', false) || userPoolId.split('_')[0] || '';
  const cognitoEndpoint = str('cognitoEndpoint', false) || null;
  const authFlow = (o.authFlow ?? DEFAULT_AUTH_FLOW) as AuthFlow;
  if (!AUTH_FLOWS.includes(authFlow)) problems.push(`authFlow must be one of ${AUTH_FLOWS.join(', ')}`);
  if (userPoolId && region && !userPoolId.startsWith(`${region}_`))
    problems.push(`userPoolId ${userPoolId} is not in region ${region}`);
  for (const [k, v] of [
    ['apiUrl', apiUrl],
    ['cognitoEndpoint', cognitoEndpoint],
  ] as const) {
    if (v && !/^https?:\/\/[^/]+/.test(v)) problems.push(`${k} must be an http(s) URL`);
  }
  const poll = o.pollIntervalMs;
  if (poll !== undefined && (typeof poll !== 'number' || !(poll >= 1000))) problems.push('pollIntervalMs must be a number >= 1000');
  if (problems.length) throw new ConfigError(problems.join('; '));
  return {
    apiUrl: apiUrl.replace(/\/+$/, ''),
    region,
    userPoolId,
    userPoolClientId,
    cognitoEndpoint: cognitoEndpoint?.replace(/\/+$/, '') ?? null,
    authFlow,
    local: o.local === true,
    pollIntervalMs: typeof poll === 'number' ? poll : 5000,
  };
}

export async function loadConfig(fetchImpl: typeof fetch = fetch): Promise<CruddurConfig> {
  if (typeof window !== 'undefined' && window.__CRUDDUR_CONFIG__ !== undefined) {
    return parseConfig(window.__CRUDDUR_CONFIG__);
  }
  let res: Response;
  try {
    res = await fetchImpl('/config.json', { cache: 'no-store', headers: { Accept: 'application/json' } });
  } catch {
    throw new ConfigError('/config.json could not be fetched');
  }
  if (!res.ok) throw new ConfigError(`/config.json answered ${res.status}`);
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new ConfigError('/config.json is not JSON');
  }
  return parseConfig(body);
}
