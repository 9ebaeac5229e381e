// One Category value: `term; scheme="URI"; class="kind|mixin|action"` plus optional title, rel,
// location, attributes and actions. Parsing accepts what real clients send (class and scheme
// unquoted, a trailing ";"); rendering writes the full form of the query interface.
import { OcciParseError } from './errors.js';
import { NAME_EXPECTED, isValidName, show } from './grammar.js';
import type { AttributeDef, Category, CategoryClass } from './model.js';
import { quoteString, readValue, type QuoteOptions } from './quoted.js';
import { splitHeaderItems, splitOutsideQuotes, splitPair } from './split.js';

const CLASSES: readonly CategoryClass[] = ['kind', 'mixin', 'action'];
const H = 'Category header';

const words = (s: string): string[] => s.split(/\s+/).filter((w) => w !== '');

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';

/**
 * `a{required immutable} b` → ["a{required immutable}", "b"]: braces may hold spaces; an
 * unclosed `{` ends its word and is skipped. One pass: the next `}` is looked up once and
 * kept until the scan passes it (a regex did this in quadratic time on many unclosed `{`).
 */
export function attributeWords(s: string): string[] {
  const out: string[] = [];
  let close = -2; // index of the next '}' at or after the scan; -1: none left
  for (let i = 0; i < s.length;) {
    const c = s[i]!;
    if (c === '{' || isSpace(c)) { i++; continue; }
    let j = i;
    while (j < s.length && s[j] !== '{' && !isSpace(s[j]!)) j++;
    if (s[j] === '{') {
      if (close !== -1 && close <= j) close = s.indexOf('}', j + 1);
      if (close > j) { out.push(s.slice(i, close + 1)); i = close + 1; continue; }
    }
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

/** Parses one Category value. Throws OcciParseError (400) naming what is wrong. */
export function parseCategory(raw: string): Category {
  const parts = splitOutsideQuotes(raw, ';');
  const term = parts[0] ?? '';
  if (term === '' || term.includes('=')) {
    throw new OcciParseError(`${H}: missing term in ${show(raw)} (expected term; scheme="..."; class="...")`);
  }
  if (!isValidName(term)) {
    throw new OcciParseError(`${H}: invalid term ${show(term, 60)} in ${show(raw)} (expected ${NAME_EXPECTED})`);
  }
  const params = new Map<string, string>();
  for (const p of parts.slice(1)) {
    if (p === '') continue;
    const pair = splitPair(p);
    if (pair === undefined || pair.name === '') {
      throw new OcciParseError(`${H}: expected name="value" but found ${show(p, 60)} in ${show(raw)}`);
    }
    const name = pair.name.toLowerCase();
    params.set(name, readValue(pair.rest, H, `parameter ${name} of ${show(raw)}`).value);
  }
  const scheme = params.get('scheme');
  if (scheme === undefined || scheme === '') throw new OcciParseError(`${H}: missing scheme in ${show(raw)}`);
  if (!scheme.endsWith('#')) {
    throw new OcciParseError(`${H}: scheme ${show(scheme, 80)} must end with "#" in ${show(raw)}`);
  }
  const cls = params.get('class')?.toLowerCase();
  if (cls === undefined || cls === '') throw new OcciParseError(`${H}: missing class in ${show(raw)}`);
  if (!(CLASSES as readonly string[]).includes(cls)) {
    throw new OcciParseError(`${H}: invalid class ${show(cls, 40)} in ${show(raw)} (expected kind, mixin or action)`);
  }
  const c: Category = { term, scheme, class: cls as CategoryClass };
  const title = params.get('title');
  if (title !== undefined) c.title = title;
  const rel = params.get('rel');
  if (rel !== undefined && words(rel).length > 0) c.rel = words(rel);
  const location = params.get('location');
  if (location !== undefined && location !== '') c.location = location;
  const attrs = params.get('attributes');
  if (attrs !== undefined && attributeWords(attrs).length > 0) c.attributes = attributeWords(attrs);
  const actions = params.get('actions');
  if (actions !== undefined && words(actions).length > 0) c.actions = words(actions);
  return c;
}

/** Parses every Category of a header (repeated lines and/or comma-joined). */
export function parseCategories(values: readonly string[]): Category[] {
  return splitHeaderItems(values).map(parseCategory);
}

/** Splits a type identifier `scheme#term`; undefined when it has no '#' or a bad term. */
export function parseTypeId(id: string): { scheme: string; term: string } | undefined {
  const hash = id.lastIndexOf('#');
  if (hash <= 0) return undefined;
  const term = id.slice(hash + 1);
  return isValidName(term) ? { scheme: id.slice(0, hash + 1), term } : undefined;
}

/** What a Category line shows. */
export interface CategoryLine {
  term: string;
  scheme: string;
  class: CategoryClass;
  title?: string;
  rel?: string[];
  location?: string;
  attributes?: AttributeDef[];
  actions?: string[];
}

/** `name{required immutable}` as in the `attributes` parameter. */
export function renderAttributeDef(a: AttributeDef): string {
  const props = [a.required ? 'required' : '', a.mutable ? '' : 'immutable'].filter((p) => p !== '');
  return props.length > 0 ? `${a.name}{${props.join(' ')}}` : a.name;
}

/** One Category value (without the `Category: ` prefix); optional parts only when non-empty. */
export function renderCategory(c: CategoryLine, o: QuoteOptions = {}): string {
  const q = (s: string): string => quoteString(s, o);
  const out = [c.term, `scheme=${q(c.scheme)}`, `class=${q(c.class)}`];
  if (c.title !== undefined && c.title !== '') out.push(`title=${q(c.title)}`);
  if (c.rel !== undefined && c.rel.length > 0) out.push(`rel=${q(c.rel.join(' '))}`);
  if (c.location !== undefined && c.location !== '') out.push(`location=${q(c.location)}`);
  if (c.attributes !== undefined && c.attributes.length > 0) {
    out.push(`attributes=${q(c.attributes.map(renderAttributeDef).join(' '))}`);
  }
  if (c.actions !== undefined && c.actions.length > 0) out.push(`actions=${q(c.actions.join(' '))}`);
  return out.join('; ');
}
