import { beforeEach, describe, expect, it, vi } from 'vitest';

const fetchAuthSession = vi.fn();
const signIn = vi.fn();
const signOut = vi.fn(async () => undefined);
vi.mock('aws-amplify/auth', () => ({
  fetchAuthSession: (...a: unknown[]) => fetchAuthSession(...a),
  signIn: (...a: unknown[]) => signIn(...a),
  signOut: () => signOut(),
  confirmResetPassword: vi.fn(),
  confirmSignIn: vi.fn(),
  confirmSignUp: vi.fn(),
  resendSignUpCode: vi.fn(),
  resetPassword: vi.fn(),
  signUp: vi.fn(),
}));
const configure = vi.fn();
vi.mock('aws-amplify', () => ({ Amplify: { configure: (c: unknown) => configure(c) } }));

const { configureAuth, currentUser, doSignIn, getAccessToken } = await import('../auth/amplify');
const { parseConfig } = await import('../config');

function session(expInSeconds: number, token = 'access') {
  return {
    tokens: {
      accessToken: { payload: { exp: Math.floor(Date.now() / 1000) + expInSeconds }, toString: () => token },
      idToken: { payload: { sub: 's1', name: 'Londo Mollari', preferred_username: 'londo', email: 'l@c' } },
    },
  };
}

beforeEach(() => {
  fetchAuthSession.mockReset();
  signIn.mockReset();
});

describe('auth', () => {
  it('configures Amplify with the custom Cognito endpoint', () => {
    configureAuth(
      parseConfig({ userPoolId: 'us-east-1_cruddur', userPoolClientId: 'c', cognitoEndpoint: 'http://127.0.0.1:8000' }),
    );
    expect(configure.mock.calls[0][0].Auth.Cognito).toMatchObject({
      userPoolId: 'us-east-1_cruddur',
      userPoolClientId: 'c',
      userPoolEndpoint: 'http://127.0.0.1:8000',
    });
  });

  it('signs in with the configured flow, SRP by default', async () => {
    configureAuth(parseConfig({ userPoolId: 'us-east-1_cruddur', userPoolClientId: 'c' }));
    signIn.mockResolvedValue({ nextStep: { signInStep: 'DONE' } });
    await expect(doSignIn('l@c', 'pw')).resolves.toEqual({ step: 'done' });
    expect(signIn.mock.calls[0][0]).toMatchObject({ username: 'l@c', options: { authFlowType: 'USER_SRP_AUTH' } });
    configureAuth(parseConfig({ userPoolId: 'us-east-1_cruddur', userPoolClientId: 'c', authFlow: 'USER_PASSWORD_AUTH' }));
    signIn.mockResolvedValue({ nextStep: { signInStep: 'CONFIRM_SIGN_UP' } });
    await expect(doSignIn('l@c', 'pw')).resolves.toEqual({ step: 'confirm-sign-up' });
    expect(signIn.mock.calls[1][0].options.authFlowType).toBe('USER_PASSWORD_AUTH');
  });

  it('uses a token with time left as it is', async () => {
    fetchAuthSession.mockResolvedValue(session(3600));
    await expect(getAccessToken()).resolves.toBe('access');
    expect(fetchAuthSession).toHaveBeenCalledTimes(1);
  });

  it('refreshes a token that is about to expire before using it', async () => {
    fetchAuthSession.mockResolvedValueOnce(session(30, 'old')).mockResolvedValueOnce(session(3600, 'new'));
    await expect(getAccessToken()).resolves.toBe('new');
    expect(fetchAuthSession.mock.calls[1][0]).toEqual({ forceRefresh: true });
  });

  it('force-refreshes when asked (after a 401)', async () => {
    fetchAuthSession.mockResolvedValue(session(3600, 'fresh'));
    await expect(getAccessToken({ forceRefresh: true })).resolves.toBe('fresh');
    expect(fetchAuthSession).toHaveBeenCalledWith({ forceRefresh: true });
  });

  it('has no token and no user without a session', async () => {
    fetchAuthSession.mockResolvedValue({ tokens: undefined });
    await expect(getAccessToken()).resolves.toBeNull();
    await expect(currentUser()).resolves.toBeNull();
  });

  it('names the user from the ID token: name and @handle', async () => {
    fetchAuthSession.mockResolvedValue(session(3600));
    await expect(currentUser()).resolves.toEqual({ sub: 's1', display_name: 'Londo Mollari', handle: 'londo', email: 'l@c' });
  });
});
