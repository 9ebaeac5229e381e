// icclab.disco.dependencies.inject, read AS DATA. The old service exec'd this value (remote
// code execution); here it is tokenised as a literal and nothing else is accepted:
//   Python dict literal  {'hadoop':'','spark':'2.2.0'}   ('' or None = default version)
//   JSON object          {"hadoop": "", "spark": "2.2.0"}
//   comma list           hadoop,spark   or   hadoop=3.3.6,spark
export interface FrameworkRequest { name: string; version: string | null }

export class InjectParseError extends Error {
  readonly code = 'INJECT_INVALID';
}

const NAME = /^[a-z][a-z0-9_-]{0,39}$/;
const BARE = /(None|null|\d+(\.\d+)*)/y;
const EXPECTED = "expected a dict of framework names to versions such as {'hadoop':'','spark':''}, " +
  'a JSON object, or a comma-separated list such as hadoop,spark';

function fail(why: string): never {
  throw new InjectParseError(`${why}: ${EXPECTED}`);
}

/** Reads a quoted string ('...' or "...") starting at s[i]; returns [value, next index]. */
function quoted(s: string, i: number): [string, number] {
  const q = s[i];
  let out = '';
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j]!;
    if (c === '\\') { out += s[j + 1] ?? ''; j++; continue; }
    if (c === q) return [out, j + 1];
    out += c;
  }
  fail('unterminated string');
}

function skipWs(s: string, i: number): number {
  while (i < s.length && /\s/.test(s[i]!)) i++;
  return i;
}

/** {key: value, ...} with quoted keys and quoted / None / numeric values; nothing else. */
function parseDict(s: string): [string, string | null][] {
  const out: [string, string | null][] = [];
  let i = skipWs(s, 1);
  if (s[i] === '}') return i + 1 === s.length ? out : fail('text after the closing brace');
  for (;;) {
    if (s[i] !== "'" && s[i] !== '"') fail(`a framework name must be a quoted string (at position ${i})`);
    const [key, afterKey] = quoted(s, i);
    i = skipWs(s, afterKey);
    if (s[i] !== ':') fail(`expected ':' after '${key}'`);
    i = skipWs(s, i + 1);
    let value: string | null;
    if (s[i] === "'" || s[i] === '"') {
      [value, i] = quoted(s, i);
    } else {
      BARE.lastIndex = i; // sticky: no copy of the rest per value
      const m = BARE.exec(s);
      if (!m) fail(`the version of '${key}' must be a quoted string, a number or None`);
      value = m[1] === 'None' || m[1] === 'null' ? null : m[1]!;
      i += m[0].length;
    }
    out.push([key, value]);
    i = skipWs(s, i);
    if (s[i] === ',') { i = skipWs(s, i + 1); if (s[i] === '}') { i++; break; } continue; }
    if (s[i] === '}') { i++; break; }
    fail(`expected ',' or '}' after the version of '${key}'`);
  }
  if (skipWs(s, i) !== s.length) fail('text after the closing brace');
  return out;
}

export function parseInject(value: string): FrameworkRequest[] {
  const s = value.trim();
  if (s === '') return [];
  const pairs: [string, string | null][] = s.startsWith('{') ? parseDict(s)
    : s.split(',').map((p) => p.trim()).filter(Boolean).map((p) => {
      const [name, version] = p.split('=', 2).map((x) => x.trim());
      return [name!, version ? version : null];
    });
  const seen = new Set<string>();
  return pairs.map(([rawName, version]) => {
    const name = rawName.toLowerCase();
    if (!NAME.test(name)) fail(`${JSON.stringify(rawName)} is not a framework name`);
    if (seen.has(name)) fail(`${name} is named twice`);
    seen.add(name);
    const v = version === null || version.trim() === '' ? null : version.trim();
    if (v !== null && !/^[A-Za-z0-9._-]{1,40}$/.test(v)) fail(`${JSON.stringify(v)} is not a version`);
    return { name, version: v };
  });
}
