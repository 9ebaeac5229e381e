// Times and sizes as people read them.
export function age(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '';
  return duration(now - Date.parse(iso));
}

export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** One formatter for every date: toLocaleString() makes a new one per call (a list of 1,000 clusters spent a third of its time there). */
const FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function when(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : FORMAT.format(d);
}

export const STATES = ['pending', 'deploying', 'installing', 'ready', 'updating', 'suspended', 'deleting', 'failed'] as const;
