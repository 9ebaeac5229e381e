// Secrets the service holds (a password or token Keystone accepted, application-credential
// secrets, private keys) are registered here so that any text leaving the process through
// a log line or an error message can be scrubbed, whatever path it took to get there.
// Register only what the service holds, never what a caller merely sent: a caller's
// string would otherwise be scrubbed out of every later line, whatever it is.
import { SecretIndex } from './secret-index.js';

const MIN_LENGTH = 6; // shorter strings would scrub ordinary words
/** Longer values (a post_init script) are not looked for: each would cost every log line a
 * scan of its length, and keys are caught by the PEM pattern below anyway. */
const MAX_LENGTH = 1024;
const MAX_REMEMBERED = 10_000;
const secrets = new SecretIndex(MIN_LENGTH, MAX_REMEMBERED);
/** How a secret with a quote, a backslash or a control character looks inside a JSON line. */
const jsonForms = new Map<string, string>();
const escapedSecrets = new SecretIndex(MIN_LENGTH, MAX_REMEMBERED);

// Keystone fernet tokens and PEM private keys are recognisable even if never registered.
const PATTERNS: RegExp[] = [
  /gAAAAA[A-Za-z0-9_-]{40,}={0,2}/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
];
const PATTERN_HINTS = [/gAAAAA[A-Za-z0-9_-]{40}/, /-----BEGIN [A-Z ]*PRIVATE KEY-----/];

export const REDACTED = '[REDACTED]';

const jsonForm = (s: string): string => JSON.stringify(s).slice(1, -1);

function forgetJsonForm(value: string): void {
  const escaped = jsonForms.get(value);
  if (escaped === undefined) return;
  jsonForms.delete(value);
  escapedSecrets.delete(escaped);
}

export function registerSecret(value: string | undefined | null): void {
  if (!value || value.length < MIN_LENGTH || value.length > MAX_LENGTH) return;
  // held already (a cluster's secrets are opened on every GET that renders them): only the newest again
  if (secrets.has(value)) { secrets.add(value); return; }
  const dropped = secrets.add(value);
  if (dropped !== undefined) forgetJsonForm(dropped);
  const escaped = jsonForm(value);
  if (escaped !== value) {
    jsonForms.set(value, escaped);
    escapedSecrets.add(escaped);
  }
}

export function forgetSecret(value: string | undefined | null): void {
  if (!value) return;
  secrets.delete(value);
  forgetJsonForm(value);
}

/** Plain text (an error message) with every secret replaced. */
export function redact(text: string): string {
  let out = text;
  for (const p of PATTERNS) out = out.replace(p, REDACTED);
  return secrets.replaceIn(out, REDACTED);
}

function redactValue(v: unknown): unknown {
  if (typeof v === 'string') return redact(v);
  if (Array.isArray(v)) return v.map(redactValue);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    // names are the code's (pino's level, time, msg; our fields): values carry secrets
    for (const [k, x] of Object.entries(v)) out[k] = redactValue(x);
    return out;
  }
  return v;
}

/**
 * One serialised log line with every secret replaced inside its strings: the line stays
 * valid JSON whatever a secret contains (`"level":`, `}`, a backslash). A line with no
 * secret in it is passed on untouched; a line that is not JSON is scrubbed as text.
 */
export function redactLogLine(line: string): string {
  const suspect = PATTERN_HINTS.some((p) => p.test(line)) || secrets.occursIn(line) || escapedSecrets.occursIn(line);
  if (!suspect) return line;
  let parsed: unknown;
  try { parsed = JSON.parse(line); } catch { return redact(line); }
  return JSON.stringify(redactValue(parsed));
}
