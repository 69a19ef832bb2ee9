// A real OpenID Connect provider for the test suite (e2e/test_county_sign_in.py): the certified
// `oidc-provider` package, its development sign-in pages, one client, and the accounts in a JSON file
// read afresh at every sign-in (so a test can take a person out of a group between two sign-ins).
//
//   PORT=… REDIRECT_URI=… ACCOUNTS_FILE=… [CLOCK_SKEW_SECONDS=… ID_TOKEN_TTL=…] node e2e/oidc/provider.mjs
//
// Accounts file: {"<login>": {"email": …, "email_verified": true, "name": …, "groups": […]}}.
// The issuer is http://127.0.0.1:PORT; the client is `kumppanuus` / `test-secret`.
import { readFileSync } from "node:fs";
import Provider from "oidc-provider";

// CLOCK_SKEW_SECONDS (negative: the provider's clock is behind) with ID_TOKEN_TTL shorter than the
// skew makes it issue ID tokens that have already expired (the "expired token" test).
const skew = Number(process.env.CLOCK_SKEW_SECONDS || 0) * 1000;
if (skew) {
  const now = Date.now;
  Date.now = () => now() + skew;
}
const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const accounts = () => JSON.parse(readFileSync(process.env.ACCOUNTS_FILE, "utf8"));

const provider = new Provider(issuer, {
  clients: [{
    client_id: "kumppanuus",
    client_secret: "test-secret",
    redirect_uris: [process.env.REDIRECT_URI],
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_post",
  }],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "groups"] },
  // The claims in the ID token as well, as Entra ID puts `groups` there.
  conformIdTokenClaims: false,
  ttl: { IdToken: Number(process.env.ID_TOKEN_TTL || 3600) },
  cookies: { keys: ["only-for-the-test-suite"] },
  pkce: { required: () => false },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const account = accounts()[id];
    if (!account) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...account }; } };
  },
});
// http on the loopback address is fine here (a test's own machine).
provider.proxy = false;
const server = provider.listen(port, "127.0.0.1", () => {
  process.stdout.write(`oidc-provider listening on ${issuer}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
