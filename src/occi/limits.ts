// How much one request may carry. Parsing is linear in the input, and the input is bounded
// (headers by the HTTP server, bodies by the body reader); these bound what a parse
// yields, so no request costs more than its size says. Values are counted in UTF-8 bytes
// after decoding; the limit may depend on the attribute (a script is meant to be large).
import { OcciParseError } from './errors.js';
import { show } from './grammar.js';
import type { OcciRequest } from './model.js';

export interface OcciLimits {
  maxCategories: number;
  maxAttributes: number;
  maxLinks: number;
  maxLocations: number;
  /** Bytes a value of this attribute may have. */
  valueBytes(name: string): number;
  /** Nesting a JSON attribute value may have (objects and arrays). */
  maxJsonDepth: number;
}

export const DEFAULT_VALUE_BYTES = 4096;

export const DEFAULT_LIMITS: OcciLimits = {
  maxCategories: 32, maxAttributes: 128, maxLinks: 16, maxLocations: 16,
  valueBytes: () => DEFAULT_VALUE_BYTES, maxJsonDepth: 16,
};

function count(what: string, n: number, max: number): void {
  if (n > max) throw new OcciParseError(`too many ${what}: ${n} (at most ${max} in one request)`);
}

/** Refuses a parsed request that carries more than the limits allow. */
export function checkLimits(r: OcciRequest, l: OcciLimits): OcciRequest {
  count('categories', r.categories.length, l.maxCategories);
  count('attributes', r.attributes.size, l.maxAttributes);
  count('links', r.links.length, l.maxLinks);
  count('locations', r.locations.length, l.maxLocations);
  for (const attrs of [r.attributes, ...r.links.map((k) => k.attributes)]) {
    for (const [name, v] of attrs) {
      if (typeof v !== 'string') continue;
      const max = l.valueBytes(name);
      // a string of n UTF-16 units has at most 3n UTF-8 bytes: count only when it may be over
      if (v.length * 3 > max && Buffer.byteLength(v) > max) {
        throw new OcciParseError(`X-OCCI-Attribute: the value of ${show(name, 80)} is ${Buffer.byteLength(v)} bytes (at most ${max})`);
      }
    }
  }
  return r;
}

/** The nesting depth of a JSON value, without recursion (a deep value must not exhaust the stack). */
export function jsonDepth(v: unknown, stopAt: number): number {
  let deepest = 0;
  const todo: [unknown, number][] = [[v, 0]];
  while (todo.length > 0) {
    const [x, d] = todo.pop()!;
    if (typeof x !== 'object' || x === null) continue;
    if (d + 1 > deepest) deepest = d + 1;
    if (deepest > stopAt) return deepest;
    for (const child of Array.isArray(x) ? x : Object.values(x)) todo.push([child, d + 1]);
  }
  return deepest;
}
