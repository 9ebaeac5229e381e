// The dashboard's session: the caller's Keystone token, a CSRF token and who signed in,
// sealed (AES-GCM, the service's secret key) into one HttpOnly, SameSite=Strict cookie, so
// that no API process keeps state and no script in the page can read the token. The page
// learns the CSRF token from GET /dashboard/session and sends it with every change.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { parse, serialize } from 'cookie';
import type { SecretBox } from '../../crypto/secret-box.js';

export const SESSION_COOKIE = 'disco_session';
/** Additional data of the seal: a session can be opened only as a session. */
const CONTEXT = 'disco-dashboard-session';
/** A sealed session is a few hundred bytes; anything much longer is not ours. */
const MAX_COOKIE = 4096;

export interface DashboardSession {
  token: string;
  csrf: string;
  user: string;
  domain: string;
  project: string;
  /** When the token expires (ms since the epoch): the session ends with it. */
  expiresAt: number;
}

export const newCsrf = (): string => randomBytes(24).toString('base64url');

export function sealSession(box: SecretBox, s: DashboardSession): string {
  return box.seal(JSON.stringify(s), CONTEXT);
}

/** The session in a Cookie header; undefined when there is none, it is not ours, or it has expired. */
export function openSession(box: SecretBox, cookieHeader: string | undefined, now = Date.now()): DashboardSession | undefined {
  if (!cookieHeader || cookieHeader.length > 16_384) return undefined;
  const sealed = parse(cookieHeader)[SESSION_COOKIE];
  if (!sealed || sealed.length > MAX_COOKIE) return undefined;
  let s: Partial<DashboardSession>;
  try { s = JSON.parse(box.open(sealed, CONTEXT)) as Partial<DashboardSession>; } catch { return undefined; }
  const strings = [s.token, s.csrf, s.user, s.domain, s.project].every((v) => typeof v === 'string' && v !== '');
  if (!strings || typeof s.expiresAt !== 'number' || s.expiresAt <= now) return undefined;
  return s as DashboardSession;
}

/** Whether the CSRF token sent with a change is the session's (in constant time). */
export function csrfMatches(s: DashboardSession, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(s.csrf);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Set-Cookie for a session: HttpOnly, SameSite=Strict, for the whole origin, until the token expires. */
export function sessionCookie(sealed: string, o: { maxAgeSeconds: number; secure: boolean }): string {
  return serialize(SESSION_COOKIE, sealed, { httpOnly: true, sameSite: 'strict', path: '/', secure: o.secure, maxAge: Math.max(0, Math.floor(o.maxAgeSeconds)) });
}

/** Set-Cookie that makes the browser forget the session. */
export function clearedCookie(secure: boolean): string {
  return serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'strict', path: '/', secure, maxAge: 0 });
}
