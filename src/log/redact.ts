// Secrets the process has seen (passwords, tokens, application-credential secrets, private
// keys) are registered here so that any text leaving the process through a log line or an
// error message can be scrubbed, whatever path it took to get there.
const MIN_LENGTH = 6; // shorter strings would scrub ordinary words
const MAX_REMEMBERED = 10_000;
const secrets = new Set<string>();

// Keystone fernet tokens and PEM private keys are recognisable even if never registered.
const PATTERNS: RegExp[] = [
  /gAAAAA[A-Za-z0-9_-]{40,}={0,2}/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
];

export const REDACTED = '[REDACTED]';

export function registerSecret(value: string | undefined | null): void {
  if (!value || value.length < MIN_LENGTH) return;
  if (secrets.size >= MAX_REMEMBERED) {
    // forget the oldest: a Set iterates in insertion order
    const oldest = secrets.values().next().value;
    if (oldest !== undefined) secrets.delete(oldest);
  }
  secrets.add(value);
}

export function forgetSecret(value: string | undefined | null): void {
  if (value) secrets.delete(value);
}

export function redact(text: string): string {
  let out = text;
  for (const p of PATTERNS) out = out.replace(p, REDACTED);
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
  return out;
}
