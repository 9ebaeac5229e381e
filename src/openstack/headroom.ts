// How much of a quota is left. null means unlimited (OpenStack writes -1).
export function headroom(limit: number, used: number): number | null {
  return limit < 0 ? null : Math.max(0, limit - used);
}
