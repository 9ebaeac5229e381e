// The dashboard's session cookie: sealed with the service's key and only as a session, refused
// when tampered with, expired or from another key; the CSRF check; the cookie's attributes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { SecretBox } from '../../src/crypto/secret-box.js';
import { clearedCookie, csrfMatches, openSession, sealSession, sessionCookie, type DashboardSession } from '../../src/api/dashboard/session.js';

const box = new SecretBox(randomBytes(32));
const now = Date.parse('2026-06-01T12:00:00Z');
const s: DashboardSession = { token: 'gAAAAA-token', csrf: 'c'.repeat(32), user: 'demo', domain: 'Default', project: 'demo', expiresAt: now + 3_600_000 };
const cookieOf = (sealed: string) => `other=1; disco_session=${encodeURIComponent(sealed)}; x=y`;

test('a sealed session opens with its key, as a session, until it expires', () => {
  const sealed = sealSession(box, s);
  assert.ok(!sealed.includes('gAAAAA') && !sealed.includes('demo'), 'nothing in clear');
  assert.deepEqual(openSession(box, cookieOf(sealed), now), s);
  assert.equal(openSession(box, cookieOf(sealed), s.expiresAt), undefined, 'expired with its token');
  assert.equal(openSession(new SecretBox(randomBytes(32)), cookieOf(sealed), now), undefined, 'another key');
  const flipped = `${sealed.slice(0, -4)}${sealed.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
  assert.equal(openSession(box, cookieOf(flipped), now), undefined, 'tampered');
  assert.equal(openSession(box, cookieOf(box.seal(JSON.stringify(s), 'another-context')), now), undefined, 'a value sealed for something else');
  assert.equal(openSession(box, cookieOf(sealSession(box, { ...s, token: '' })), now), undefined, 'no token');
  assert.equal(openSession(box, undefined, now), undefined);
  assert.equal(openSession(box, 'disco_session=garbage', now), undefined);
  assert.equal(openSession(box, `disco_session=${'A'.repeat(5000)}`, now), undefined, 'too long to be ours');
});

test('the CSRF token must be the session\'s own', () => {
  assert.equal(csrfMatches(s, s.csrf), true);
  for (const bad of [undefined, '', `${s.csrf}x`, s.csrf.slice(1), 'd'.repeat(32)]) assert.equal(csrfMatches(s, bad), false, String(bad));
});

test('the cookie: HttpOnly, SameSite=Strict, the whole origin, its life; Secure behind https; cleared with Max-Age=0', () => {
  const c = sessionCookie('v2:abc:def', { maxAgeSeconds: 3599.7, secure: false });
  assert.equal(c, 'disco_session=v2%3Aabc%3Adef; Max-Age=3599; Path=/; HttpOnly; SameSite=Strict');
  assert.match(sessionCookie('v', { maxAgeSeconds: 10, secure: true }), /; Secure/);
  assert.equal(clearedCookie(false), 'disco_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict');
});
