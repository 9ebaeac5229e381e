// The OCCI 1.2 name grammar shared by Category terms and attribute names, and how user input
// is quoted inside error messages (shortened: a message must not echo a whole megabyte back).
/** `(ALPHA|DIGIT) *(ALPHA|DIGIT|"-"|"_"|".")` (OCCI 1.2 text rendering). */
export const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export const NAME_EXPECTED = 'a letter or digit followed by letters, digits, "-", "_" or "."';

export const isValidName = (s: string): boolean => NAME_RE.test(s);

/** `"text"` for an error message, cut to `max` characters. */
export function show(s: string, max = 120): string {
  const cut = s.length > max ? `${s.slice(0, max)}...` : s;
  return `"${cut}"`;
}
