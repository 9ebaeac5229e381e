// Quoted strings of the OCCI text renderings: "..." with \" and \\ escapes. A header cannot
// carry a newline, so (like the old ICCLab service did for ssh keys) newlines are written as
// the two characters \n; \r, \t and \uXXXX are written and read back the same way, so every
// string survives a round trip through a header or a body line.
import { OcciParseError } from './errors.js';
import { show } from './grammar.js';

/**
 * Reads the quoted string whose opening '"' is at s[start]. Returns the decoded value and the
 * index after the closing quote, or undefined when the string never closes. An unknown escape
 * such as `\d` is kept as sent (two characters): sloppy clients write Windows paths.
 */
export function readQuoted(s: string, start: number): { value: string; end: number } | undefined {
  let out = '';
  for (let i = start + 1; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '"') return { value: out, end: i + 1 };
    if (c !== '\\') { out += c; continue; }
    const n = s[i + 1];
    if (n === undefined) return undefined;
    i++;
    switch (n) {
      case '"': case '\\': out += n; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        const hex = s.slice(i + 1, i + 5);
        if (/^[0-9A-Fa-f]{4}$/.test(hex)) { out += String.fromCharCode(parseInt(hex, 16)); i += 4; }
        else out += '\\u';
        break;
      }
      default: out += `\\${n}`;
    }
  }
  return undefined;
}

export interface QuoteOptions {
  /** Escape every non-ASCII character as \uXXXX (for HTTP header values, which are Latin-1). */
  ascii?: boolean;
}

/** Printable ASCII except `"` and the backslash. */
const PLAIN = /^[ !#-[\]-~]*$/;

/** Writes `value` as a quoted string. */
export function quoteString(value: string, o: QuoteOptions = {}): string {
  // most values need no escape at all: skip the walk (GET renders dozens per answer)
  if (PLAIN.test(value)) return `"${value}"`;
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    const code = value.charCodeAt(i);
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f || (o.ascii === true && code > 0x7e)) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += c;
  }
  return `${out}"`;
}

/** A parameter or attribute value as written: a quoted string, or a bare token. */
export interface ValueToken { value: string; quoted: boolean }

/**
 * Reads one value (already trimmed): a whole quoted string, or a bare token that contains no
 * quote. `where` names the value in errors, e.g. `X-OCCI-Attribute: ... in value of a.b`.
 */
export function readValue(text: string, header: string, what: string): ValueToken {
  if (text.startsWith('"')) {
    const q = readQuoted(text, 0);
    if (q === undefined) throw new OcciParseError(`${header}: unterminated quoted string in ${what}`);
    const rest = text.slice(q.end).trim();
    if (rest !== '') {
      throw new OcciParseError(`${header}: unexpected ${show(rest, 40)} after the quoted string in ${what} (expected "," or ";" or the end)`);
    }
    return { value: q.value, quoted: true };
  }
  if (text.includes('"')) {
    throw new OcciParseError(`${header}: stray quote in ${what}: ${show(text, 60)} (quote the whole value: "...")`);
  }
  return { value: text, quoted: false };
}
