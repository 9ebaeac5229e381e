// Requests from the dashboard carry no credentials of their own, only the session cookie:
// its token stands in for X-Auth-Token, so the API's authentication, roles and limits apply
// unchanged. A change (anything but GET, HEAD) also needs the session's CSRF token in
// X-CSRF-Token: a form another site posts cannot send it (and SameSite=Strict keeps the
// cookie away from it anyway).
import type { NextFunction, Request, Response } from 'express';
import type { SecretBox } from '../../crypto/secret-box.js';
import { DomainError } from '../../errors/domain-error.js';
import { hasHeaderCredentials } from '../body.js';
import { csrfMatches, openSession } from './session.js';

export const CSRF_HEADER = 'x-csrf-token';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sessionAuth(box: SecretBox) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    // credentials sent as headers (curl, the CLI) win: a cookie is never mixed with them
    if (hasHeaderCredentials(req) || !req.headers.cookie) { next(); return; }
    const s = openSession(box, req.headers.cookie);
    if (!s) { next(); return; }
    if (!SAFE.has(req.method) && !csrfMatches(s, req.get(CSRF_HEADER))) {
      next(new DomainError('FORBIDDEN', 'a change made with the dashboard session needs its CSRF token in X-CSRF-Token (GET /dashboard/session gives it)'));
      return;
    }
    req.headers['x-auth-token'] = s.token;
    delete req.headers['x-tenant-name'];
    next();
  };
}
