// Accept-header negotiation (q-values and wildcards via the negotiator package). A missing or
// empty Accept, or */*, yields the first offered type (callers offer text/plain first);
// application/json is served as application/occi+json.
import Negotiator from 'negotiator';
import type { MediaType } from './media.js';

const JSON_ALIAS = 'application/json';

/** The best offered type for `accept`, or undefined when none is acceptable (answer 406). */
export function negotiate(accept: string | undefined, offered: readonly MediaType[]): MediaType | undefined {
  if (offered.length === 0) return undefined;
  if (accept === undefined || accept.trim() === '') return offered[0];
  const available: string[] = [...offered];
  if (offered.includes('application/occi+json')) available.push(JSON_ALIAS);
  const best = new Negotiator({ headers: { accept } }).mediaType(available);
  if (best === undefined) return undefined;
  return best === JSON_ALIAS ? 'application/occi+json' : (best as MediaType);
}
