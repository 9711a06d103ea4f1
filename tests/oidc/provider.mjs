// A real OpenID Connect provider (the npm package oidc-provider) on loopback for tests/test_oidc_login.py:
// its own users with e-mail and a groups claim, the dev login form, nothing persisted.
// node provider.mjs PORT CLIENT_SECRET REDIRECT_URI USERS_JSON
import Provider from 'oidc-provider';

const [port, clientSecret, redirectUri, usersJson] = process.argv.slice(2);
const users = JSON.parse(usersJson);
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{ client_id: 'tsk', client_secret: clientSecret, redirect_uris: [redirectUri],
              grant_types: ['authorization_code'], response_types: ['code'] }],
  async findAccount(ctx, id) {
    const u = users[id];
    if (!u) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...u }; } };
  },
  claims: { openid: ['sub'], email: ['email'], groups: ['groups'] },
  scopes: ['openid', 'email', 'groups'],
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => false },
  cookies: { keys: ['test-only-key'] },
});
provider.listen(Number(port), '127.0.0.1', () => console.log('ready'));
