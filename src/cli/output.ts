// What the CLI prints: a table for people (cli-table3), or for scripts -o json|yaml|value with
// -c COLUMN (repeatable) choosing the columns, as the openstack client's -f and -c do.
import Table from 'cli-table3';
import { dump } from 'js-yaml';
import { UsageError } from './credentials.js';

export type Format = 'table' | 'json' | 'yaml' | 'value';
export const FORMATS: readonly Format[] = ['table', 'json', 'yaml', 'value'];

export interface OutputOptions { output: Format; columns: string[] }

type Row = Record<string, unknown>;

const text = (v: unknown): string => (v === undefined || v === null ? '' : Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v));

function pick(rows: Row[], all: readonly string[], columns: readonly string[]): { rows: Row[]; columns: readonly string[] } {
  if (!columns.length) return { rows, columns: all };
  const unknown = columns.filter((c) => !all.includes(c));
  if (unknown.length) throw new UsageError(`-c ${unknown.join(', ')}: no such column (columns: ${all.join(', ')})`);
  return { rows: rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c]]))), columns };
}

/** Rows (a list): a table with a header row, or the rows as JSON/YAML, or their values one row per line. */
export function formatRows(rows: Row[], all: readonly string[], o: OutputOptions): string {
  const p = pick(rows, all, o.columns);
  switch (o.output) {
    case 'json': return `${JSON.stringify(p.rows, null, 2)}\n`;
    case 'yaml': return dump(p.rows);
    case 'value': return p.rows.map((r) => p.columns.map((c) => text(r[c])).join(' ')).map((l) => `${l}\n`).join('');
    case 'table': {
      if (!p.rows.length) return '';
      const t = new Table({ head: [...p.columns], style: { head: [], border: [] } });
      for (const r of p.rows) t.push(p.columns.map((c) => text(r[c])));
      return `${t.toString()}\n`;
    }
  }
}

/** One object: a Field/Value table, or the object as JSON/YAML, or its values one per line. */
export function formatOne(row: Row, all: readonly string[], o: OutputOptions): string {
  const p = pick([row], all, o.columns);
  const r = p.rows[0]!;
  switch (o.output) {
    case 'json': return `${JSON.stringify(r, null, 2)}\n`;
    case 'yaml': return dump(r);
    case 'value': return p.columns.map((c) => `${text(r[c])}\n`).join('');
    case 'table': {
      const t = new Table({ head: ['Field', 'Value'], style: { head: [], border: [] }, wordWrap: true, colWidths: [null, 90] as unknown as number[] });
      for (const c of p.columns) if (r[c] !== undefined && r[c] !== '') t.push([c, text(r[c])]);
      return `${t.toString()}\n`;
    }
  }
}
