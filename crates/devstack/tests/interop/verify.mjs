// Interop check: tokens minted by the devstack must pass aws-jwt-verify's
// CognitoJwtVerifier exactly as a real backend would run it, with only the
// JWKS fed in locally (cacheJwks) instead of fetched from AWS.
//
// Input (stdin, JSON): {"userPoolId", "clientId", "jwks", "idToken", "accessToken"}
// Exit 0 when both verify; non-zero with the reason otherwise.
// aws-jwt-verify is resolved through NODE_PATH (tools/node/node_modules).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

let CognitoJwtVerifier;
try {
  ({ CognitoJwtVerifier } = require("aws-jwt-verify"));
} catch (e) {
  console.error("aws-jwt-verify not installed: run cargo xtask setup");
  process.exit(3);
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));

let failed = false;
for (const [tokenUse, token] of [["id", input.idToken], ["access", input.accessToken]]) {
  const verifier = CognitoJwtVerifier.create({
    userPoolId: input.userPoolId,
    tokenUse,
    clientId: input.clientId,
  });
  verifier.cacheJwks(input.jwks);
  try {
    const payload = verifier.verifySync(token);
    console.log(`${tokenUse}: valid (sub ${payload.sub})`);
  } catch (e) {
    failed = true;
    console.error(`${tokenUse}: INVALID: ${e.name}: ${e.message}`);
  }
}
process.exit(failed ? 1 : 0);
