// The dashboard at /dashboard/ (same origin as the API) and its session: sign in with
// Keystone (POST /dashboard/session), who is signed in with the CSRF token and what the
// roles allow (GET), sign out (DELETE: the token is revoked in Keystone and the cookie
// forgotten). Every page gets a strict Content-Security-Policy: scripts and styles from
// this origin only, no inline code, no framing.
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Authenticator, Caller } from '../../auth/authenticator.js';
import type { SecretBox } from '../../crypto/secret-box.js';
import { badAttribute, DomainError, unauthorized } from '../../errors/domain-error.js';
import type { KeystoneClient } from '../../openstack/index.js';
import { RULES, type Policy } from '../../policy/policy.js';
import { dashboardAssets, type DashboardAssets } from '../../assets/dashboard-bundle.js';
import { HttpError, methodNotAllowed } from '../errors.js';
import { CSRF_HEADER } from './session-auth.js';
import { clearedCookie, csrfMatches, newCsrf, openSession, sealSession, sessionCookie, type DashboardSession } from './session.js';

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[?::1\]?)$/;

export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export interface DashboardDeps {
  auth: Authenticator;
  keystone: KeystoneClient;
  box: SecretBox;
  policy: Policy;
  publicUrl: string | null;
  defaultDomain: string;
}

type Handler = (req: Request, res: Response) => Promise<void>;
const wrap = (h: Handler) => (req: Request, res: Response, next: NextFunction) => { h(req, res).catch(next); };

function pageHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

/** What the page is told about its session: never the token. */
function sessionInfo(s: DashboardSession, who: Caller, policy: Policy) {
  const subject = { userId: who.userId, roles: who.token.roles.map((r) => r.name) };
  return {
    user: s.user, domain: s.domain, project: s.project, projectId: who.projectId, roles: subject.roles,
    csrf: s.csrf, expiresAt: new Date(s.expiresAt).toISOString(),
    may: Object.fromEntries(RULES.map((r) => [r, policy.allows(subject, r)])),
  };
}

const field = (body: Record<string, unknown>, name: string, required: boolean, max: number): string | undefined => {
  const v = body[name];
  if (v === undefined || v === '') {
    if (required) throw badAttribute(name, `a non-empty string of at most ${max} characters`);
    return undefined;
  }
  if (typeof v !== 'string' || v.length > max) throw badAttribute(name, `a non-empty string of at most ${max} characters`);
  return v;
};

export function dashboardRoutes(d: DashboardDeps): Router {
  const r = Router();
  // the cookie is as good as the token: Secure (sent over HTTPS only) unless the service is
  // reached over plain HTTP on this machine's own address (development, the tests)
  const secure = (req: Request) => (d.publicUrl ? d.publicUrl.startsWith('https:') : !(req.protocol === 'http' && LOOPBACK.test(req.hostname)));
  const json = express.json({ limit: 8192, type: () => true });

  // the router is not strict: /dashboard/ matches here too, and only /dashboard itself is sent on
  r.get('/dashboard', (req, res, next) => { if (req.originalUrl.split('?')[0] === '/dashboard') res.redirect(301, '/dashboard/'); else next(); });
  const serve = (name: keyof DashboardAssets) => wrap(async (req, res) => {
    const a = (await dashboardAssets())[name];
    pageHeaders(res);
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', a.etag);
    if (req.get('if-none-match') === a.etag) { res.status(304).end(); return; }
    res.status(200).type(a.type).send(a.body);
  });
  r.get('/dashboard/', serve('index.html'));
  r.get('/dashboard/app.js', serve('app.js'));
  r.get('/dashboard/app.css', serve('app.css'));

  r.post('/dashboard/session', (req, _res, next) => {
    // JSON only: a form another site posts cannot send it (no login CSRF)
    next(req.is('application/json') ? undefined : new HttpError(415, 'POST /dashboard/session takes application/json: {"user", "password", "project", "domain"}'));
  }, json, wrap(async (req, res) => {
    const body = (typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? req.body : {}) as Record<string, unknown>;
    const user = field(body, 'user', true, 255)!;
    const password = field(body, 'password', true, 4096)!;
    const project = field(body, 'project', true, 255)!;
    const domain = field(body, 'domain', false, 255) ?? d.defaultDomain;
    const who = await d.auth.authenticate({ 'x-user-name': user, 'x-password': password, 'x-tenant-name': project, 'x-domain-name': domain },
      undefined, { fresh: true, client: req.socket.remoteAddress });
    d.auth.rememberToken(who);
    const s: DashboardSession = { token: who.token.value, csrf: newCsrf(), user, domain, project: who.projectName, expiresAt: who.token.expiresAt.getTime() };
    res.setHeader('Set-Cookie', sessionCookie(sealSession(d.box, s), { maxAgeSeconds: (s.expiresAt - Date.now()) / 1000, secure: secure(req) }));
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(sessionInfo(s, who, d.policy));
  }));
  r.get('/dashboard/session', wrap(async (req, res) => {
    const s = openSession(d.box, req.headers.cookie);
    if (!s) throw unauthorized('not signed in');
    const who = await d.auth.authenticate({ 'x-auth-token': s.token }, undefined, { client: req.socket.remoteAddress });
    res.setHeader('Cache-Control', 'no-store');
    res.status(200).json(sessionInfo(s, who, d.policy));
  }));
  r.delete('/dashboard/session', wrap(async (req, res) => {
    const s = openSession(d.box, req.headers.cookie);
    if (s && !csrfMatches(s, req.get(CSRF_HEADER))) throw new DomainError('FORBIDDEN', 'signing out needs the session\'s CSRF token in X-CSRF-Token');
    if (s) {
      // reads stop at once (not after the authenticator's cache time), and Keystone ends the token
      d.auth.forgetToken(s.token, s.expiresAt);
      await d.keystone.revokeToken(s.token).catch(() => undefined); // already gone or Keystone away: the cookie goes all the same
    }
    res.setHeader('Set-Cookie', clearedCookie(secure(req)));
    res.status(204).end();
  }));
  r.all('/dashboard/session', methodNotAllowed('GET, POST, DELETE'));
  return r;
}
