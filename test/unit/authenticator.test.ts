// The Authenticator against a tiny stand-in Keystone (a local HTTP server that counts what
// it is asked): reads may be served from the short cache, changes ask Keystone every time;
// failed logins are limited per user name and per client before Keystone is asked; only
// what Keystone accepted is registered as a secret for the logs.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { after, before, beforeEach, test } from 'node:test';
import { Authenticator } from '../../src/auth/authenticator.js';
import { DomainError, TooManyAttempts } from '../../src/errors/domain-error.js';
import { redact, REDACTED } from '../../src/log/redact.js';
import { KeystoneClient, OpenStackHttp } from '../../src/openstack/index.js';

const RIGHT = 'right-passw0rd';
const NEW = 'new-passw0rd';
const ref = (id: string) => ({ id, name: id, domain: { id: 'default', name: 'Default' } });
const state = { asked: 0, logins: 0, issued: 0, revoked: new Set<string>(), down: false, password: RIGHT };
/** As Keystone does on a password change: the user's tokens are revoked. */
const changePassword = (to: string) => { state.password = to; for (let i = 1; i <= state.issued; i++) state.revoked.add(`issued-token-${i}`); };

const body = (req: IncomingMessage) => new Promise<string>((r) => { let b = ''; req.on('data', (c: Buffer) => { b += String(c); }); req.on('end', () => r(b)); });
const server = createServer((req, res) => {
  void body(req).then((text) => {
    state.asked++;
    if (state.down) { res.writeHead(503); res.end(); return; }
    const token = { user: ref('u-1'), project: ref('demo'), roles: [{ id: 'r', name: 'member' }], methods: ['password'],
      expires_at: new Date(Date.now() + 3_600_000).toISOString(), issued_at: new Date().toISOString(), catalog: [] };
    if (req.method === 'POST') {
      state.logins++;
      const auth = (JSON.parse(text) as { auth: { identity: { password: { user: { password: string } } } } }).auth;
      if (auth.identity.password.user.password !== state.password) { res.writeHead(401, { 'content-type': 'application/json' }); res.end('{"error":{"message":"The request you have made requires authentication."}}'); return; }
      res.writeHead(201, { 'content-type': 'application/json', 'x-subject-token': `issued-token-${++state.issued}` });
      res.end(JSON.stringify({ token }));
      return;
    }
    const subject = String(req.headers['x-subject-token']);
    if (!subject.startsWith('issued-token-') || state.revoked.has(subject)) { res.writeHead(404, { 'content-type': 'application/json' }); res.end('{}'); return; }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token }));
  });
});
let keystone: KeystoneClient;
before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  keystone = new KeystoneClient(`http://127.0.0.1:${(server.address() as { port: number }).port}`, new OpenStackHttp({ retries: 0 }));
});
after(() => server.close());
beforeEach(() => { state.asked = 0; state.logins = 0; state.revoked.clear(); state.down = false; state.password = RIGHT; });

const auth = (limits = { perUser: 3, perClient: 10, windowSeconds: 60 }) =>
  new Authenticator(keystone, { defaultDomain: 'Default', cacheSeconds: 60, limits });
const password = (pw: string, user = 'alice') => ({ 'x-user-name': user, 'x-password': pw, 'x-tenant-name': 'demo' });
const status = (e: unknown) => (e instanceof DomainError ? e.code : String(e));

test('reads use the cache; a change asks Keystone every time, validating the token the password gave', async () => {
  const a = auth();
  const first = await a.authenticate(password(RIGHT));
  await a.authenticate(password(RIGHT));
  assert.equal(state.asked, 1, 'the second read came from the cache');
  const c1 = await a.authenticate(password(RIGHT), undefined, { fresh: true });
  const c2 = await a.authenticate(password(RIGHT), undefined, { fresh: true });
  assert.equal(state.asked, 3, 'each change asked Keystone');
  assert.equal(state.logins, 1, 'by validating the token of the one login, not logging in again');
  assert.equal(c1.token.value, first.token.value);
  assert.equal(c2.token.value, first.token.value);
  assert.equal((await a.authenticate(password('wrong'), undefined, { fresh: true }).catch((x: unknown) => x) as Error).message,
    'Keystone did not accept the credentials', 'another password is its own login (and refused)');
});

test('a password changed in Keystone stops the next change with the old one at once; the new one logs in', async () => {
  const a = auth();
  const old = await a.authenticate(password(RIGHT), undefined, { fresh: true });
  changePassword(NEW);
  assert.equal(status(await a.authenticate(password(RIGHT), undefined, { fresh: true }).catch((x: unknown) => x)), 'UNAUTHENTICATED');
  assert.equal(status(await a.authenticate(password(RIGHT)).catch((x: unknown) => x)), 'UNAUTHENTICATED', 'and reads stop with it');
  const renewed = await a.authenticate(password(NEW), undefined, { fresh: true });
  assert.notEqual(renewed.token.value, old.token.value);
  assert.equal(state.logins, 4, 'the first login; the old password tried once its token was refused, and again for the read; the new one');
});

test('a password caller whose token was revoked (but whose password is right) logs in again', async () => {
  const a = auth();
  const old = await a.authenticate(password(RIGHT), undefined, { fresh: true });
  state.revoked.add(old.token.value);
  const again = await a.authenticate(password(RIGHT), undefined, { fresh: true });
  assert.notEqual(again.token.value, old.token.value);
  assert.equal(state.logins, 2);
});

test('a password caller\'s token is revalidated only while it lives: near its end, a new login', async () => {
  let now = Date.now();
  const a = new Authenticator(keystone, { defaultDomain: 'Default', cacheSeconds: 60, now: () => now });
  await a.authenticate(password(RIGHT), undefined, { fresh: true });
  now += 30 * 60_000;
  await a.authenticate(password(RIGHT), undefined, { fresh: true });
  assert.equal(state.logins, 1, 'half an hour in: validated');
  now += 29.5 * 60_000; // the stand-in's tokens live an hour: 30 s left
  await a.authenticate(password(RIGHT), undefined, { fresh: true });
  assert.equal(state.logins, 2, 'less than a minute left: logged in again');
});

test('a revoked token cannot change anything a moment later, and reads stop too', async () => {
  const a = auth();
  const token = (await a.authenticate(password(RIGHT))).token.value;
  const headers = { 'x-auth-token': token };
  await a.authenticate(headers);
  state.revoked.add(token);
  assert.equal((await a.authenticate(headers)).token.value, token, 'a read may still be served from the cache');
  const e = await a.authenticate(headers, undefined, { fresh: true }).catch((x: unknown) => x);
  assert.equal(status(e), 'UNAUTHENTICATED');
  assert.equal(status(await a.authenticate(headers).catch((x: unknown) => x)), 'UNAUTHENTICATED', 'the cached entry is gone');
});

test('failed logins for one user name: 429 with the wait, before Keystone is asked', async () => {
  const a = auth();
  for (let i = 0; i < 3; i++) {
    assert.equal(status(await a.authenticate(password(`wrong-${i}`), undefined, { client: `10.0.0.${i}` }).catch((x: unknown) => x)), 'UNAUTHENTICATED');
  }
  const asked = state.asked;
  const e = await a.authenticate(password(RIGHT, 'ALICE'), undefined, { client: '10.0.0.9' }).catch((x: unknown) => x);
  assert.ok(e instanceof TooManyAttempts, String(e));
  assert.ok(e.retryAfterSeconds > 0 && e.retryAfterSeconds <= 60, String(e.retryAfterSeconds));
  assert.match(e.message, /too many failed logins .*try again in \d+ s/);
  assert.equal(state.asked, asked, 'Keystone was not asked');
  assert.ok(await a.authenticate(password(RIGHT, 'bob'), undefined, { client: '10.0.0.9' }), 'another user is not refused');
});

test('failed logins from one client: 429 for any user or token from it, not for other clients', async () => {
  const a = auth({ perUser: 100, perClient: 3, windowSeconds: 60 });
  for (const h of [password('wrong-1', 'u1'), password('wrong-2', 'u2'), { 'x-auth-token': 'made-up' }]) {
    assert.equal(status(await a.authenticate(h, undefined, { client: '10.0.0.1' }).catch((x: unknown) => x)), 'UNAUTHENTICATED');
  }
  assert.ok(await a.authenticate(password(RIGHT), undefined, { client: '10.0.0.2' }));
  const e = await a.authenticate(password(RIGHT), undefined, { client: '10.0.0.1' }).catch((x: unknown) => x);
  assert.ok(e instanceof TooManyAttempts, 'refused even with a right (and cached) password: no oracle for a guesser');
});

test('Keystone unreachable is a 503 and no failed login', async () => {
  const a = auth({ perUser: 1, perClient: 1, windowSeconds: 60 });
  state.down = true;
  for (let i = 0; i < 3; i++) assert.equal(status(await a.authenticate(password(RIGHT), undefined, { client: '10.0.0.1' }).catch((x: unknown) => x)), 'UNAVAILABLE');
  state.down = false;
  assert.ok(await a.authenticate(password(RIGHT), undefined, { client: '10.0.0.1' }));
});

test('what a caller sends is registered as a secret only once Keystone accepted it', async () => {
  const a = auth();
  const refused = 'zz"level":zz-refused';
  await a.authenticate(password(refused)).catch(() => undefined);
  await a.authenticate({ 'x-auth-token': 'zz"msg":"zz-made-up-token' }).catch(() => undefined);
  assert.equal(redact(`x ${refused} y`), `x ${refused} y`, 'a refused password is not scrubbed from later lines');
  assert.equal(redact('x zz"msg":"zz-made-up-token y'), 'x zz"msg":"zz-made-up-token y', 'nor a token Keystone did not know');
  const caller = await a.authenticate(password(RIGHT));
  assert.equal(redact(`x ${RIGHT} ${caller.token.value} y`), `x ${REDACTED} ${REDACTED} y`, 'an accepted password and its token are');
});

test('a token signed out (forgetToken) is refused at once, even when a validation already on its way comes back valid; rememberToken caches a login under its token', async () => {
  const a = auth();
  const who = await a.authenticate(password(RIGHT));
  a.rememberToken(who);
  const asked = state.asked;
  await a.authenticate({ 'x-auth-token': who.token.value });
  assert.equal(state.asked, asked, 'remembered: no Keystone call');
  // a read sent before the sign-out, answered "valid" after it (Keystone has not revoked yet here)
  const inFlight = a.authenticate({ 'x-auth-token': who.token.value }, undefined, { fresh: true });
  a.forgetToken(who.token.value, Date.now() + 60_000);
  await assert.rejects(inFlight, (e: unknown) => status(e) === 'UNAUTHENTICATED', 'not cached, refused');
  const before = state.asked;
  await assert.rejects(a.authenticate({ 'x-auth-token': who.token.value }), /revoked \(signed out\)/);
  assert.equal(state.asked, before, 'refused without asking Keystone');
  const other = await a.authenticate(password(RIGHT), undefined, { fresh: true });
  assert.equal((await a.authenticate({ 'x-auth-token': other.token.value })).userId, 'u-1', 'other tokens of the user still work');
});

test('known(): the caller kept for header credentials, without asking Keystone; never for a stranger, another password or a token signed out', async () => {
  const a = auth();
  assert.equal(a.known(password(RIGHT)), undefined, 'nobody is known before Keystone accepted them');
  const c = await a.authenticate(password(RIGHT));
  const asked = state.asked;
  assert.equal(a.known(password(RIGHT))?.token.value, c.token.value, 'the password caller, with the token its login gave');
  assert.equal(a.known(password('wrong')), undefined, 'another password is not the same caller');
  assert.equal(a.known({ ...password(RIGHT), 'x-tenant-name': 'other' }), undefined, 'nor another tenant');
  assert.equal(a.known({ 'x-auth-token': c.token.value }), undefined, 'its token is kept under the password until rememberToken');
  a.rememberToken(c);
  assert.equal(a.known({ 'x-auth-token': c.token.value })?.userId, 'u-1');
  assert.equal(a.known({ 'x-auth-token': 'issued-token-unknown' }), undefined);
  assert.equal(state.asked, asked, 'Keystone was not asked');
  a.forgetToken(c.token.value);
  assert.equal(a.known({ 'x-auth-token': c.token.value }), undefined, 'signed out: not known');
});
