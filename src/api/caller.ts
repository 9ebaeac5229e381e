// Who is asking, for every route that serves a project's data: Keystone says (the
// authenticator), the policy decides from the roles Keystone gave.
import type { Request } from 'express';
import type { Authenticator, Caller } from '../auth/authenticator.js';
import type { AttributeValue } from '../occi/model.js';
import type { Policy, Rule } from '../policy/policy.js';

/** The caller as the policy sees them: who, and their roles in the project (from Keystone). */
export const subject = (who: Caller) => ({ userId: who.userId, roles: who.token.roles.map((r) => r.name) });

/** A change (anything but a read) asks Keystone afresh: a revoked token changes nothing; the
 * client's address counts its failed logins. */
export const callerOf = (auth: Authenticator) => (req: Request, attrs?: Map<string, AttributeValue>): Promise<Caller> =>
  auth.authenticate(req.headers, attrs, { fresh: req.method !== 'GET' && req.method !== 'HEAD', client: req.socket.remoteAddress });

/** A 403 unless the caller's roles in the project grant `rule`. */
export const allowed = (policy: Policy) => (who: Caller, rule: Rule): void => policy.enforce(subject(who), rule);
