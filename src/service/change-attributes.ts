// Which attributes a change of an existing cluster may carry: the credentials old clients
// send as attributes (used to log in, then dropped), and the ones the change is about.
// Anything else is refused by name, never ignored.
import type { AttributeValue } from '../occi/model.js';
import { badAttribute } from '../errors/domain-error.js';
import { ATTR } from '../disco-kind/attribute-names.js';

const CREDENTIALS = new Set<string>([ATTR.username, ATTR.password, ATTR.region]);

/** The attributes without the credentials. */
export function withoutCredentials(attrs: Map<string, AttributeValue>): Map<string, AttributeValue> {
  return new Map([...attrs].filter(([k]) => !CREDENTIALS.has(k)));
}

/** Refuses the first attribute not among `allowed`, saying what `what` takes. */
export function allowOnly(attrs: Map<string, AttributeValue>, allowed: readonly string[], what: string): void {
  const other = [...attrs.keys()].find((k) => !allowed.includes(k));
  if (other !== undefined) throw badAttribute(other, what);
}
