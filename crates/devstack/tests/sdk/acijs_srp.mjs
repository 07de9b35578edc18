// amazon-cognito-identity-js against devstack: real SRP (its default
// USER_SRP_AUTH flow) with the right and a wrong password, USER_PASSWORD_AUTH,
// GetUser, and the tokens verified by aws-jwt-verify with this stack's JWKS.
// Env: ENDPOINT, POOL_ID, CLIENT_ID, USERNAME, PASSWORD, JWKS_URL.
// Both packages resolve through NODE_PATH (tools/node/node_modules).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { CognitoUserPool, CognitoUser, AuthenticationDetails } = require("amazon-cognito-identity-js");
const { CognitoJwtVerifier } = require("aws-jwt-verify");

const env = process.env;
const pool = new CognitoUserPool({
  UserPoolId: env.POOL_ID,
  ClientId: env.CLIENT_ID,
  endpoint: env.ENDPOINT + "/",
});

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

function signIn(password, flow) {
  const user = new CognitoUser({ Username: env.USERNAME, Pool: pool });
  if (flow) user.setAuthenticationFlowType(flow);
  const details = new AuthenticationDetails({ Username: env.USERNAME, Password: password });
  return new Promise((resolve) => {
    user.authenticateUser(details, {
      onSuccess: (session) => resolve({ user, session }),
      onFailure: (err) => resolve({ user, err }),
      newPasswordRequired: () => resolve({ user, err: { code: "newPasswordRequired" } }),
    });
  });
}

const jwks = await (await fetch(env.JWKS_URL)).json();
function verify(token, tokenUse) {
  const verifier = CognitoJwtVerifier.create({ userPoolId: env.POOL_ID, tokenUse, clientId: env.CLIENT_ID });
  verifier.cacheJwks(jwks);
  return verifier.verifySync(token);
}

for (const flow of [undefined, "USER_PASSWORD_AUTH"]) {
  const name = flow || "USER_SRP_AUTH";
  const { user, session, err } = await signIn(env.PASSWORD, flow);
  if (err) fail(`${name}: ${err.code}: ${err.message}`);
  const id = verify(session.getIdToken().getJwtToken(), "id");
  const access = verify(session.getAccessToken().getJwtToken(), "access");
  if (id["cognito:username"] !== env.USERNAME || access.scope !== "aws.cognito.signin.user.admin") {
    fail(`${name}: unexpected claims ${JSON.stringify(id)}`);
  }
  console.log(`ok: ${name} sign-in, tokens verified by aws-jwt-verify (sub ${id.sub})`);
  const attributes = await new Promise((resolve, reject) =>
    user.getUserAttributes((e, a) => (e ? reject(e) : resolve(a))),
  ).catch((e) => fail(`GetUser: ${e.code}: ${e.message}`));
  if (!attributes.some((a) => a.getName() === "sub")) fail("GetUser: no sub");
  console.log(`ok: ${name} getUserAttributes (${attributes.length} attributes)`);
}

const { err } = await signIn(env.PASSWORD + "-wrong");
if (!err || err.code !== "NotAuthorizedException" || err.message !== "Incorrect username or password.") {
  fail(`wrong password: ${JSON.stringify(err)}`);
}
console.log(`ok: wrong password: ${err.code}: ${err.message}`);
// Sign-up, the code from devstack's outbox, confirmation, then SRP sign-in.
const newName = `js-${Date.now()}`;
const signedUp = await new Promise((resolve) =>
  pool.signUp(newName, "Js-passw0rd!", [{ Name: "email", Value: `${newName}@example.com` }], null,
    (e, r) => resolve(e ? { err: e } : r)),
);
if (signedUp.err) fail(`signUp: ${signedUp.err.code}: ${signedUp.err.message}`);
if (signedUp.userConfirmed !== false || !signedUp.userSub) fail(`signUp result ${JSON.stringify(signedUp)}`);
const outbox = await (await fetch(`${env.ENDPOINT}/_devstack/outbox`)).json();
const message = outbox.messages.reverse().find((m) => m.username === newName && m.kind === "SIGN_UP");
if (!message) fail("no sign-up code in the outbox");
const confirmed = await new Promise((resolve) =>
  signedUp.user.confirmRegistration(message.code, true, (e, r) => resolve(e ? `${e.code}: ${e.message}` : r)),
);
if (confirmed !== "SUCCESS") fail(`confirmRegistration: ${confirmed}`);
const fresh = new CognitoUser({ Username: newName, Pool: pool });
const session = await new Promise((resolve) =>
  fresh.authenticateUser(new AuthenticationDetails({ Username: newName, Password: "Js-passw0rd!" }), {
    onSuccess: resolve,
    onFailure: (e) => fail(`new user sign-in: ${e.code}: ${e.message}`),
  }),
);
if (verify(session.getIdToken().getJwtToken(), "id")["cognito:username"] !== newName) fail("new user's token");
console.log("ok: signUp → outbox code → confirmRegistration → SRP sign-in");
console.log("amazon-cognito-identity-js: all checks passed");
