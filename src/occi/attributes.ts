// X-OCCI-Attribute values: `name=value` pairs, comma-separated or repeated. Strings are quoted
// (\" and \\ escapes; commas inside are data), numbers and booleans bare; a bare token that is
// neither is taken as a string (old clients are sloppy). Rendering is the inverse.
import { OcciParseError } from './errors.js';
import { NAME_EXPECTED, isValidName, show } from './grammar.js';
import type { AttributeValue } from './model.js';
import { quoteString, readValue, type QuoteOptions } from './quoted.js';
import { splitHeaderItems, splitPair } from './split.js';

const H = 'X-OCCI-Attribute';
const NUMBER_RE = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** A bare (unquoted) value: number, boolean, else the text itself. */
export function bareValue(text: string): AttributeValue {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (NUMBER_RE.test(text)) {
    const n = Number(text);
    if (Number.isFinite(n)) return n;
  }
  return text;
}

/** Checks an attribute name against the OCCI 1.2 grammar. */
export function checkAttributeName(name: string, header: string, item: string): void {
  if (name === '') throw new OcciParseError(`${header}: missing attribute name in ${show(item, 80)} (expected name=value)`);
  if (!isValidName(name)) {
    throw new OcciParseError(`${header}: invalid attribute name ${show(name, 60)} (expected ${NAME_EXPECTED})`);
  }
}

/** Parses one `name=value` item. */
export function parseAttribute(item: string, header = H): [string, AttributeValue] {
  const pair = splitPair(item);
  if (pair === undefined) throw new OcciParseError(`${header}: expected name=value but found ${show(item, 80)}`);
  checkAttributeName(pair.name, header, item);
  const tok = readValue(pair.rest, header, `value of ${pair.name}`);
  return [pair.name, tok.quoted ? tok.value : bareValue(tok.value)];
}

/** Parses every attribute of a header into `into` (a repeated name keeps the last value). */
export function parseAttributes(values: readonly string[], into = new Map<string, AttributeValue>()): Map<string, AttributeValue> {
  for (const item of splitHeaderItems(values)) {
    const [name, value] = parseAttribute(item);
    into.set(name, value);
  }
  return into;
}

/** A value as rendered: strings quoted, numbers and booleans bare, objects/arrays as quoted JSON. */
export function renderAttributeValue(v: unknown, o: QuoteOptions = {}): string {
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : quoteString(String(v), o);
  if (typeof v === 'string') return quoteString(v, o);
  return quoteString(JSON.stringify(v) ?? '', o);
}

/** `name=value`. */
export function renderAttribute(name: string, v: unknown, o: QuoteOptions = {}): string {
  return `${name}=${renderAttributeValue(v, o)}`;
}
