// Whether a caller's token can make a cluster. The reconciler creates the cluster's own
// application credential with the caller's token, and Heat a trust: Keystone refuses both
// to a token obtained from an application credential or from a trust. Such a create is
// refused at once, before a record is made, rather than left pending for ever.
import { DomainError } from '../errors/domain-error.js';
import type { Caller } from './authenticator.js';

const WHY = "Keystone does not let such a token delegate further (the cluster's own application credential, Heat's trust)";
const HOW = 'log in with X-User-Name and X-Password (with X-Tenant-Name), or send a token obtained from a password login';

/** Throws FORBIDDEN when the caller's token cannot delegate to the service. */
export function assertCanDelegate(caller: Caller): void {
  const t = caller.token;
  if (t.applicationCredential || t.methods.includes('application_credential')) {
    throw new DomainError('FORBIDDEN', `a token from an application credential cannot create a cluster: ${WHY}; ${HOW}`);
  }
  if (t.trust) {
    throw new DomainError('FORBIDDEN', `a trust-scoped token cannot create a cluster: ${WHY}; ${HOW}`);
  }
}
