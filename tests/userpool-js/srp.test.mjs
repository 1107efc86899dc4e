// USER_SRP_AUTH against the local user pool with the real Cognito clients:
// amazon-cognito-identity-js (CognitoUser.authenticateUser: SRP by default)
// and aws-amplify v6 (signIn: USER_SRP_AUTH by default), both pointed at the
// pool's endpoint. Run by tests/wire/test_userpool_security.py, which starts
// `cruddur serve` and passes:
//   USERPOOL_ENDPOINT, USERPOOL_ID, USERPOOL_CLIENT_ID,
//   USERPOOL_USER / USERPOOL_PASSWORD          a confirmed user,
//   USERPOOL_OLD_USER / USERPOOL_OLD_PASSWORD  a confirmed user without an SRP
//                                              verifier (from before SRP).
// Node 18 compatible (node --test, global fetch; webcrypto made global).
import { webcrypto } from 'node:crypto';
import assert from 'node:assert/strict';
import { test } from 'node:test';

import cognito from 'amazon-cognito-identity-js';

if (!globalThis.crypto) globalThis.crypto = webcrypto;  // Node 18

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = cognito;

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run through tests/wire/test_userpool_security.py)`);
  return v;
};

const endpoint = env('USERPOOL_ENDPOINT');
const poolId = env('USERPOOL_ID');
const clientId = env('USERPOOL_CLIENT_ID');

const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint });

// authenticateUser as a promise: resolves with the session, rejects with
// the error (its .code is the Cognito error type).
function authenticate(username, password, flow) {
  const user = new CognitoUser({ Username: username, Pool: pool });
  if (flow) user.setAuthenticationFlowType(flow);
  const details = new AuthenticationDetails({ Username: username, Password: password });
  return new Promise((resolve, reject) => {
    user.authenticateUser(details, {
      onSuccess: (session) => resolve(session),
      onFailure: (err) => reject(err),
      newPasswordRequired: () => reject(new Error('unexpected NEW_PASSWORD_REQUIRED')),
    });
  });
}

function claims(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

async function expectIncorrect(promise) {
  await assert.rejects(promise, (err) => {
    assert.equal(err.code ?? err.name, 'NotAuthorizedException');
    assert.equal(err.message, 'Incorrect username or password.');
    return true;
  });
}

test('amazon-cognito-identity-js: the right password signs in with USER_SRP_AUTH', async () => {
  const session = await authenticate(env('USERPOOL_USER'), env('USERPOOL_PASSWORD'));
  assert.ok(session.isValid());
  const access = claims(session.getAccessToken().getJwtToken());
  assert.equal(access.token_use, 'access');
  assert.equal(access.client_id, clientId);
  assert.equal(access.iss, `https://cognito-idp.us-east-1.amazonaws.com/${poolId}`);
  assert.equal(claims(session.getIdToken().getJwtToken()).email, env('USERPOOL_USER'));
});

test('amazon-cognito-identity-js: a wrong password is NotAuthorizedException', async () => {
  await expectIncorrect(authenticate(env('USERPOOL_USER'), 'Wrong-pass1'));
});

test('amazon-cognito-identity-js: an unknown user fails like a wrong password', async () => {
  await expectIncorrect(authenticate('nobody-srp@wire.example.com', 'Wrong-pass1'));
});

test('a user from before SRP signs in with SRP after one USER_PASSWORD_AUTH', async () => {
  const user = env('USERPOOL_OLD_USER');
  const password = env('USERPOOL_OLD_PASSWORD');
  await expectIncorrect(authenticate(user, password));  // no verifier yet
  const viaPassword = await authenticate(user, password, 'USER_PASSWORD_AUTH');
  assert.ok(viaPassword.isValid());
  const viaSrp = await authenticate(user, password);
  assert.ok(viaSrp.isValid());
});

test('aws-amplify v6 signIn (USER_SRP_AUTH by default)', async () => {
  const { Amplify } = await import('aws-amplify');
  const { signIn, fetchAuthSession } = await import('aws-amplify/auth');
  Amplify.configure({
    Auth: {
      Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: endpoint },
    },
  });
  await assert.rejects(
    signIn({ username: env('USERPOOL_USER'), password: 'Wrong-pass1' }),
    (err) => {
      assert.equal(err.name, 'NotAuthorizedException');
      assert.equal(err.message, 'Incorrect username or password.');
      return true;
    },
  );
  const result = await signIn({ username: env('USERPOOL_USER'), password: env('USERPOOL_PASSWORD') });
  assert.equal(result.isSignedIn, true);
  assert.equal(result.nextStep.signInStep, 'DONE');
  const session = await fetchAuthSession();
  assert.equal(session.tokens.accessToken.payload.token_use, 'access');
});
