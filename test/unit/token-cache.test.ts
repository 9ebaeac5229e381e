// The CLI's token cache: a 0600 file in a 0700 folder, one entry per cloud, user, secret and
// scope (never the secret itself), reused until five minutes before the token expires.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Login } from '../../src/cli/credentials.js';
import { cacheKey, MARGIN_MS, TokenCache, tokenCacheFile } from '../../src/cli/token-cache.js';

const login = (password = 's3cret-pw', project = 'demo', authUrl = 'http://127.0.0.1:5000/v3'): Login => ({
  authUrl, scope: { projectName: project, projectDomain: { name: 'Default' } },
  credentials: { kind: 'password', username: 'alice', password, userDomain: { name: 'Default' } },
});
const fresh = () => join(mkdtempSync(join(tmpdir(), 'token-cache-')), 'cache', 'disco', 'tokens.json');

test('where the file is: XDG_CACHE_HOME, else ~/.cache', () => {
  assert.equal(tokenCacheFile({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/a' }), '/x/cache/disco/tokens.json');
  assert.equal(tokenCacheFile({ HOME: '/home/a' }), '/home/a/.cache/disco/tokens.json');
  assert.equal(tokenCacheFile({ XDG_CACHE_HOME: '', HOME: '/home/a' }), '/home/a/.cache/disco/tokens.json');
});

test('a kept token is reused until five minutes before it expires; the file is 0600, its folder 0700, and holds no password', () => {
  const file = fresh();
  let now = Date.parse('2026-12-07T10:00:00Z');
  const c = new TokenCache(file, () => now);
  assert.equal(c.get(login()), undefined);
  c.put(login(), 'tok-1', new Date(now + 3_600_000));
  assert.equal(c.get(login()), 'tok-1');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(join(file, '..')).mode & 0o777, 0o700);
  assert.ok(!readFileSync(file, 'utf8').includes('s3cret-pw'), 'the password is not in the file');
  now += 3_600_000 - MARGIN_MS - 1;
  assert.equal(c.get(login()), 'tok-1', 'just over five minutes left');
  now += 2;
  assert.equal(c.get(login()), undefined, 'under five minutes left: a new login');
});

test('one entry per cloud, user, secret and scope: another password, project or cloud is another token', () => {
  const keys = new Set([login(), login('other-pw'), login(undefined, 'other'), login(undefined, undefined, 'http://10.0.0.1:5000/v3')].map(cacheKey));
  assert.equal(keys.size, 4);
  assert.equal(cacheKey(login(undefined, undefined, 'http://127.0.0.1:5000/v3/')), cacheKey(login()), 'a trailing slash is the same cloud');
  const c = new TokenCache(fresh());
  c.put(login(), 'tok-a', new Date(Date.now() + 3_600_000));
  c.put(login('other-pw'), 'tok-b', new Date(Date.now() + 3_600_000));
  assert.equal(c.get(login()), 'tok-a');
  assert.equal(c.get(login('other-pw')), 'tok-b');
  c.drop(login());
  assert.equal(c.get(login()), undefined, 'dropped (the service refused it)');
  assert.equal(c.get(login('other-pw')), 'tok-b', 'the other stays');
});

test('expired entries are not kept; a damaged file is no cache, and is replaced by the next login', () => {
  const file = fresh();
  const c = new TokenCache(file);
  c.put(login('old'), 'tok-old', new Date(Date.now() - 1000));
  c.put(login(), 'tok-1', new Date(Date.now() + 3_600_000));
  assert.equal(Object.keys(JSON.parse(readFileSync(file, 'utf8')) as object).length, 1, 'the expired one is gone');
  writeFileSync(file, '{"half": ');
  assert.equal(c.get(login()), undefined);
  c.put(login(), 'tok-2', new Date(Date.now() + 3_600_000));
  assert.equal(c.get(login()), 'tok-2');
});

test('a cache that cannot be written is no cache, and no error', () => {
  const notADir = join(mkdtempSync(join(tmpdir(), 'token-cache-')), 'a-file');
  writeFileSync(notADir, '');
  const c = new TokenCache(join(notADir, 'disco', 'tokens.json'));
  assert.doesNotThrow(() => c.put(login(), 'tok-1', new Date(Date.now() + 3_600_000)));
  assert.equal(c.get(login()), undefined);
});
