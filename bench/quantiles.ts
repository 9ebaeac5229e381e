// The bench's one way to read a set of times: p50 and p99 by rank (of 200 times, the p99 is
// the 2nd slowest), from a sorted copy.
export function quantiles(times: readonly number[]): { p50: number; p99: number } {
  const s = [...times].sort((a, b) => a - b);
  return { p50: s[Math.floor(s.length / 2)]!, p99: s[Math.floor(s.length * 0.99)]! };
}
