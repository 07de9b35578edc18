// Amplify JS v6 (aws-amplify/auth) against devstack through
// `userPoolEndpoint`: signIn with USER_SRP_AUTH (its default) and
// USER_PASSWORD_AUTH, a wrong password (NotAuthorizedException with AWS's
// message), signOut (RevokeToken), and signUp → outbox code → confirmSignUp.
// Env: ENDPOINT, POOL_ID, CLIENT_ID, USERNAME, PASSWORD.
// Resolves through NODE_PATH (tools/node/node_modules).
import { createRequire } from "node:module";
import { randomUUID } from "node:crypto";

const require = createRequire(import.meta.url);
const { Amplify } = require("aws-amplify");
const auth = require("aws-amplify/auth");

const env = process.env;
Amplify.configure({
  Auth: {
    Cognito: {
      userPoolId: env.POOL_ID,
      userPoolClientId: env.CLIENT_ID,
      userPoolEndpoint: env.ENDPOINT,
    },
  },
});

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

async function signInAs(username, password, authFlowType) {
  const out = await auth.signIn({ username, password, options: { authFlowType } });
  if (!out.isSignedIn || out.nextStep.signInStep !== "DONE") {
    fail(`${authFlowType}: ${JSON.stringify(out)}`);
  }
  const { tokens } = await auth.fetchAuthSession();
  const id = tokens?.idToken?.payload;
  if (id?.["cognito:username"] !== username || tokens.accessToken.payload.scope !== "aws.cognito.signin.user.admin") {
    fail(`${authFlowType}: unexpected tokens ${JSON.stringify(id)}`);
  }
  const user = await auth.getCurrentUser();
  if (user.username !== username) fail(`getCurrentUser: ${JSON.stringify(user)}`);
  await auth.signOut();
  console.log(`ok: amplify signIn ${authFlowType} as ${username}`);
}

for (const flow of ["USER_SRP_AUTH", "USER_PASSWORD_AUTH"]) {
  await signInAs(env.USERNAME, env.PASSWORD, flow);
  try {
    await auth.signIn({ username: env.USERNAME, password: "wrong-Passw0rd", options: { authFlowType: flow } });
    fail(`${flow}: a wrong password signed in`);
  } catch (e) {
    if (e.name !== "NotAuthorizedException" || e.message !== "Incorrect username or password.") {
      fail(`${flow}: wrong password gave ${e.name}: ${e.message}`);
    }
    console.log(`ok: ${flow} wrong password: ${e.name}: ${e.message}`);
  }
}

const name = "amp-" + randomUUID().slice(0, 8);
const password = "Amp-passw0rd!";
const up = await auth.signUp({
  username: name,
  password,
  options: { userAttributes: { email: `${name}@example.com` } },
});
if (up.isSignUpComplete || up.nextStep.signUpStep !== "CONFIRM_SIGN_UP") fail(`signUp: ${JSON.stringify(up)}`);
try {
  await auth.confirmSignUp({ username: name, confirmationCode: "000000" });
  fail("confirmSignUp accepted a wrong code");
} catch (e) {
  if (e.name !== "CodeMismatchException") fail(`wrong code gave ${e.name}: ${e.message}`);
}
const { messages } = await (await fetch(`${env.ENDPOINT}/_devstack/outbox`)).json();
const code = messages.reverse().find((m) => m.username === name && m.kind === "SIGN_UP")?.code;
if (!code) fail(`no SIGN_UP code for ${name} in the outbox`);
const confirmed = await auth.confirmSignUp({ username: name, confirmationCode: code });
if (!confirmed.isSignUpComplete) fail(`confirmSignUp: ${JSON.stringify(confirmed)}`);
console.log("ok: amplify signUp → outbox → confirmSignUp");
await signInAs(name, password, "USER_SRP_AUTH");
console.log("amplify: all checks passed");
