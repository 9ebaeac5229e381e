// Capped exponential backoff with full jitter (AWS architecture blog's "full jitter"):
// attempt n waits a random time in [0, min(cap, base * 2^n)].
export interface BackoffOptions { baseMs: number; capMs: number }

export function backoffDelay(attempt: number, o: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(o.capMs, o.baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}
