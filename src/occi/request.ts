// Reads what one OCCI request carries. text/occi: the Category, X-OCCI-Attribute, Link and
// X-OCCI-Location headers. text/plain: the same lines in the body, plus those headers (some
// old clients send text/plain with everything in headers). application/occi+json: a resource or
// action invocation body, plus those headers. Any other Content-Type with a body: 415. Every
// failure is an OcciError (4xx), never a crash.
import { parseAttributes } from './attributes.js';
import { parseCategories } from './category.js';
import { OcciParseError, UnsupportedMediaTypeError } from './errors.js';
import { show } from './grammar.js';
import { parseOcciJson } from './json-request.js';
import { parseLinks } from './link.js';
import { parseLocations } from './location.js';
import { checkLimits, DEFAULT_LIMITS, type OcciLimits } from './limits.js';
import { REQUEST_TYPES } from './media.js';
import type { OcciRequest } from './model.js';

export interface OcciRequestInput {
  headers: Record<string, string | string[] | undefined>;
  /** Defaults to the content-type header. */
  contentType?: string;
  body?: string;
}

type Lines = Record<'category' | 'x-occi-attribute' | 'link' | 'x-occi-location', string[]>;
const NAMES = ['category', 'x-occi-attribute', 'link', 'x-occi-location'] as const;
const isOcciName = (n: string): n is keyof Lines => (NAMES as readonly string[]).includes(n);

const emptyLines = (): Lines => ({ category: [], 'x-occi-attribute': [], link: [], 'x-occi-location': [] });

export const emptyRequest = (): OcciRequest => ({ categories: [], attributes: new Map(), links: [], locations: [] });

function headerLines(headers: OcciRequestInput['headers']): Lines {
  const lines = emptyLines();
  for (const [name, value] of Object.entries(headers)) {
    const n = name.toLowerCase();
    if (!isOcciName(n) || value === undefined) continue;
    lines[n].push(...(Array.isArray(value) ? value : [value]));
  }
  return lines;
}

/** `Name: value` lines of a text/plain body; a line starting with blanks continues the last. */
function bodyLines(body: string, into: Lines): void {
  let last: string[] | undefined;
  body.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    if (/^[ \t]/.test(line) && last !== undefined && last.length > 0) {
      last[last.length - 1] += ` ${line.trim()}`;
      return;
    }
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : line.slice(0, colon).trim().toLowerCase();
    if (!isOcciName(name)) {
      throw new OcciParseError(`text/plain body line ${i + 1}: expected "Category:", "X-OCCI-Attribute:", "Link:" or "X-OCCI-Location:" but found ${show(line, 80)}`);
    }
    last = into[name];
    last.push(line.slice(colon + 1));
  });
}

function fromLines(l: Lines): OcciRequest {
  return {
    categories: parseCategories(l.category),
    attributes: parseAttributes(l['x-occi-attribute']),
    links: parseLinks(l.link),
    locations: parseLocations(l['x-occi-location']),
  };
}

function merge(a: OcciRequest, b: OcciRequest): OcciRequest {
  return {
    categories: [...a.categories, ...b.categories],
    attributes: new Map([...a.attributes, ...b.attributes]),
    links: [...a.links, ...b.links],
    locations: [...a.locations, ...b.locations],
  };
}

/** The bare, lower-cased media type of a Content-Type value (`text/plain; charset=x` → `text/plain`). */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const t = contentType?.split(';')[0]?.trim().toLowerCase();
  return t === '' ? undefined : t;
}

export function parseOcciRequest(input: OcciRequestInput, limits: OcciLimits = DEFAULT_LIMITS): OcciRequest {
  return checkLimits(parse(input, limits), limits);
}

function parse(input: OcciRequestInput, limits: OcciLimits): OcciRequest {
  const rawType = input.contentType ?? headerValue(input.headers, 'content-type');
  const type = mediaTypeOf(rawType);
  const body = input.body ?? '';
  const hasBody = body.trim() !== '';
  const lines = headerLines(input.headers);
  if (!hasBody || type === 'text/occi') return fromLines(lines);
  if (type === 'text/plain') {
    bodyLines(body, lines);
    return fromLines(lines);
  }
  if (type === 'application/occi+json' || type === 'application/json') {
    return merge(fromLines(lines), parseOcciJson(body, limits.maxJsonDepth));
  }
  const supported = REQUEST_TYPES.join(', ');
  throw new UnsupportedMediaTypeError(type === undefined
    ? `a request body needs a Content-Type; supported: ${supported}`
    : `unsupported Content-Type ${show(type, 80)}; supported: ${supported}`);
}

function headerValue(headers: OcciRequestInput['headers'], name: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}
