// Link values: `<URI>; rel="type"; self="URI"; category="..."` plus `name=value` attribute
// parameters, and the action links an entity rendering carries.
import { bareValue, checkAttributeName } from './attributes.js';
import { OcciParseError } from './errors.js';
import { show } from './grammar.js';
import type { Link } from './model.js';
import { quoteString, readValue, type QuoteOptions } from './quoted.js';
import { splitHeaderItems, splitOutsideQuotes, splitPair } from './split.js';

const H = 'Link header';

/** Parses one Link value. */
export function parseLink(raw: string): Link {
  const close = raw.indexOf('>');
  if (!raw.startsWith('<') || close < 0) {
    throw new OcciParseError(`${H}: expected <URI> at the start of ${show(raw)}`);
  }
  const target = raw.slice(1, close).trim();
  if (target === '') throw new OcciParseError(`${H}: empty target <> in ${show(raw)}`);
  const rest = raw.slice(close + 1).trim();
  if (rest !== '' && !rest.startsWith(';')) {
    throw new OcciParseError(`${H}: expected ";" after <${target}> in ${show(raw)}`);
  }
  const link: Link = { target, attributes: new Map() };
  for (const p of splitOutsideQuotes(rest.slice(1), ';')) {
    if (p === '') continue;
    const pair = splitPair(p);
    if (pair === undefined) throw new OcciParseError(`${H}: expected name="value" but found ${show(p, 60)} in ${show(raw)}`);
    const lower = pair.name.toLowerCase();
    if (lower === 'rel' || lower === 'self' || lower === 'category') {
      link[lower] = readValue(pair.rest, H, `parameter ${lower}`).value;
      continue;
    }
    checkAttributeName(pair.name, H, p);
    const tok = readValue(pair.rest, H, `value of ${pair.name}`);
    link.attributes.set(pair.name, tok.quoted ? tok.value : bareValue(tok.value));
  }
  return link;
}

/** Parses every Link of a header (repeated lines and/or comma-joined). */
export function parseLinks(values: readonly string[]): Link[] {
  return splitHeaderItems(values, { angle: true }).map(parseLink);
}

/** `</disco/ID?action=scale>; rel="http://.../action#scale"`. */
export function renderActionLink(location: string, action: { scheme: string; term: string }, o: QuoteOptions = {}): string {
  return `<${location}?action=${action.term}>; rel=${quoteString(`${action.scheme}${action.term}`, o)}`;
}
