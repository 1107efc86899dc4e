// Everything that touches aws-amplify lives here. It is its own chunk, loaded
// by ./session.ts when a token needs Amplify (refresh, sign-out) and by the
// sign-in pages: a signed-in page with a usable token runs without it.
import { Amplify } from 'aws-amplify';
import {
  confirmResetPassword,
  confirmSignIn,
  confirmSignUp,
  fetchAuthSession,
  resendSignUpCode,
  resetPassword,
  signIn,
  signOut,
  signUp,
} from 'aws-amplify/auth';
import type { CruddurConfig } from '../config';
import { forgetSession, REFRESH_MARGIN_MS, sessionConfig, userFromClaims, type CurrentUser } from './session';

export type { CurrentUser } from './session';

let config: CruddurConfig | null = null;

export function configureAuth(c: CruddurConfig): void {
  config = c;
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: c.userPoolId,
        userPoolClientId: c.userPoolClientId,
        // The local pool of `cruddur serve` (Amplify sends every Cognito call there).
        ...(c.cognitoEndpoint ? { userPoolEndpoint: c.cognitoEndpoint } : {}),
        loginWith: { email: true },
        signUpVerificationMethod: 'code',
      },
    },
  });
}

/** Configures Amplify with the session's configuration (./session.ts initSession) if not done yet. */
function ensureConfigured(): void {
  if (config) return;
  const c = sessionConfig();
  if (c) configureAuth(c);
}

/**
 * An access token for the API. fetchAuthSession refreshes an expired token
 * (Amplify's margin is 5 s); we also refresh one that is about to expire, so
 * a request never leaves with a token that dies on the way.
 */
export async function getAccessToken(options?: { forceRefresh?: boolean }): Promise<string | null> {
  ensureConfigured();
  let session = await fetchAuthSession(options?.forceRefresh ? { forceRefresh: true } : undefined);
  const exp = session.tokens?.accessToken.payload.exp;
  if (!options?.forceRefresh && typeof exp === 'number' && exp * 1000 - Date.now() < REFRESH_MARGIN_MS) {
    session = await fetchAuthSession({ forceRefresh: true });
  }
  return session.tokens?.accessToken.toString() ?? null;
}

/** The signed-in user (from the ID token's claims), or null. */
export async function currentUser(): Promise<CurrentUser | null> {
  ensureConfigured();
  let session;
  try {
    session = await fetchAuthSession();
  } catch {
    return null;
  }
  const claims = session.tokens?.idToken?.payload;
  if (!claims || !session.tokens?.accessToken) return null;
  return userFromClaims(claims);
}

export type SignInOutcome =
  | { step: 'done' }
  | { step: 'confirm-sign-up' }
  | { step: 'new-password' }
  | { step: 'reset-password' }
  | { step: 'unsupported'; name: string };

function outcome(nextStep: { signInStep: string }): SignInOutcome {
  switch (nextStep.signInStep) {
    case 'DONE':
      return { step: 'done' };
    case 'CONFIRM_SIGN_UP':
      return { step: 'confirm-sign-up' };
    case 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED':
      return { step: 'new-password' };
    case 'RESET_PASSWORD':
      return { step: 'reset-password' };
    default:
      return { step: 'unsupported', name: nextStep.signInStep };
  }
}

export async function doSignIn(email: string, password: string): Promise<SignInOutcome> {
  ensureConfigured();
  // A stale session would make signIn throw UserAlreadyAuthenticatedException.
  await signOut().catch(() => undefined);
  forgetSession();
  try {
    const { nextStep } = await signIn({
      username: email,
      password,
      options: { authFlowType: config?.authFlow ?? 'USER_SRP_AUTH' },
    });
    return outcome(nextStep);
  } finally {
    forgetSession(); // the new tokens are in storage
  }
}

export async function doConfirmNewPassword(newPassword: string): Promise<SignInOutcome> {
  ensureConfigured();
  try {
    const { nextStep } = await confirmSignIn({ challengeResponse: newPassword });
    return outcome(nextStep);
  } finally {
    forgetSession();
  }
}

export async function doSignUp(input: { email: string; password: string; name: string; handle: string }) {
  ensureConfigured();
  const { nextStep } = await signUp({
    username: input.email,
    password: input.password,
    options: { userAttributes: { email: input.email, name: input.name, preferred_username: input.handle } },
  });
  return { confirmed: nextStep.signUpStep === 'DONE' || nextStep.signUpStep === 'COMPLETE_AUTO_SIGN_IN' };
}

export async function doConfirmSignUp(email: string, code: string) {
  ensureConfigured();
  await confirmSignUp({ username: email, confirmationCode: code });
}

export async function doResendCode(email: string) {
  ensureConfigured();
  await resendSignUpCode({ username: email });
}

export async function doResetPassword(email: string) {
  ensureConfigured();
  await resetPassword({ username: email });
}

export async function doConfirmResetPassword(email: string, code: string, newPassword: string) {
  ensureConfigured();
  await confirmResetPassword({ username: email, confirmationCode: code, newPassword });
}

export async function doSignOut() {
  // Revokes this session's refresh token where the pool supports RevokeToken,
  // and always forgets the tokens in this browser.
  ensureConfigured();
  try {
    await signOut();
  } finally {
    forgetSession();
  }
}

/** A sign-in/up error as one sentence. */
export function authErrorText(e: unknown): string {
  const name = (e as { name?: string })?.name ?? '';
  const message = (e as { message?: string })?.message ?? String(e);
  switch (name) {
    case 'NotAuthorizedException':
      return /expired|limit/i.test(message) ? message : 'Incorrect e-mail or password.';
    case 'UserNotFoundException':
      return 'Incorrect e-mail or password.';
    case 'UsernameExistsException':
      return 'An account with this e-mail already exists.';
    case 'CodeMismatchException':
      return 'That code is not right; check it and try again.';
    case 'ExpiredCodeException':
      return 'That code has expired; ask for a new one.';
    case 'InvalidPasswordException':
      return message || 'The password does not meet the requirements.';
    case 'LimitExceededException':
    case 'TooManyRequestsException':
      return 'Too many attempts; wait a moment and try again.';
    case 'NetworkError':
      return "Can't reach the sign-in service; check your connection and try again.";
    default:
      if (/network|failed to fetch/i.test(message)) return "Can't reach the sign-in service; check your connection and try again.";
      return message || 'Something went wrong; try again.';
  }
}
