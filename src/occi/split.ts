// Splitting header values. A multi-valued OCCI header arrives as repeated lines or as one
// comma-joined line (Node joins repeated headers with ", "), and quoted strings may contain
// commas and semicolons: splitting must skip over quoted strings (with their \" and \\ escapes)
// and, for Link, over the <URI>.

export interface SplitOptions {
  /** Treat `<...>` as opaque (Link targets). */
  angle?: boolean;
}

/**
 * Splits `value` on `sep` outside quoted strings; every part is trimmed, empty parts are kept
 * (callers skip them). An unterminated quoted string swallows the rest of the value into the
 * last part, where the item parser reports it.
 */
export function splitOutsideQuotes(value: string, sep: ',' | ';', o: SplitOptions = {}): string[] {
  const parts: string[] = [];
  let start = 0;
  let inQuote = false;
  let inAngle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (inQuote) {
      if (c === '\\') i++;
      else if (c === '"') inQuote = false;
      continue;
    }
    if (inAngle) {
      if (c === '>') inAngle = false;
      continue;
    }
    if (c === '"') inQuote = true;
    else if (o.angle === true && c === '<') inAngle = true;
    else if (c === sep) {
      parts.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(value.slice(start).trim());
  return parts;
}

/** The non-empty comma-separated items of every value of a (possibly repeated) header. */
export function splitHeaderItems(values: readonly string[], o: SplitOptions = {}): string[] {
  return values.flatMap((v) => splitOutsideQuotes(v, ',', o)).filter((p) => p !== '');
}

/** `Name=value` split at the first '=' (names never contain one); undefined without '='. */
export function splitPair(item: string): { name: string; rest: string } | undefined {
  const eq = item.indexOf('=');
  if (eq < 0) return undefined;
  return { name: item.slice(0, eq).trim(), rest: item.slice(eq + 1).trim() };
}
