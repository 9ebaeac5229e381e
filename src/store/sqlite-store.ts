// ClusterStore on SQLite (better-sqlite3) in the data directory: WAL journal with
// synchronous=FULL, so an acknowledged create survives kill -9 and power loss alike.
// Secrets are stored as the sealed strings the domain hands over, never in clear.
// Admission's figures (holdings.ts) are kept beside the records in the same transaction:
// a per-project count (triggers), an `awaits_stack` column with a partial index, and the
// part of the record admission reads (`holding`).
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterRecord } from '../clusters/record.js';
import type { ClusterStore, Reservation } from './cluster-store.js';
import { awaitsStack, holdingRow, type HoldingRow, type Holdings, type HoldingsQuery } from './holdings.js';
import { migrate } from './sqlite-schema.js';

export class SqliteClusterStore implements ClusterStore {
  private readonly db: Database.Database;
  private readonly stmts;

  constructor(dataDir: string, file = 'clusters.sqlite') {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.db = new Database(join(dataDir, file));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.stmts = {
      insert: this.db.prepare('INSERT INTO clusters (id, project_id, created_at, record, awaits_stack, holding) VALUES (?, ?, ?, ?, ?, ?)'),
      get: this.db.prepare<[string], { record: string }>('SELECT record FROM clusters WHERE id = ?'),
      byProject: this.db.prepare<[string], { record: string }>('SELECT record FROM clusters WHERE project_id = ? ORDER BY created_at, id'),
      count: this.db.prepare<[string], { n: number }>('SELECT n FROM project_counts WHERE project_id = ?'),
      // two indexed reads (clusters_awaiting, clusters_project), each of the few rows admission needs
      holding: this.db.prepare<[string, string, string], { holding: string }>(
        'SELECT holding FROM clusters WHERE project_id = ? AND awaits_stack = 1 UNION SELECT holding FROM clusters WHERE project_id = ? AND created_at >= ?'),
      holdingOf: this.db.prepare<[string, string], { holding: string }>('SELECT holding FROM clusters WHERE id = ? AND project_id = ?'),
      ids: this.db.prepare<[], { id: string }>('SELECT id FROM clusters ORDER BY created_at'),
      put: this.db.prepare('UPDATE clusters SET record = ?, awaits_stack = ?, holding = ? WHERE id = ?'),
      del: this.db.prepare('DELETE FROM clusters WHERE id = ?'),
      reserve: this.db.prepare('INSERT OR REPLACE INTO reservations (project_id, id, until, body) VALUES (?, ?, ?, ?)'),
      expire: this.db.prepare('DELETE FROM reservations WHERE project_id = ? AND until <= ?'),
      reserved: this.db.prepare<[string], { body: string }>('SELECT body FROM reservations WHERE project_id = ?'),
      release: this.db.prepare('DELETE FROM reservations WHERE project_id = ? AND id = ?'),
      states: this.db.prepare<[], { state: string; n: number }>("SELECT json_extract(record, '$.state') AS state, count(*) AS n FROM clusters GROUP BY 1"),
    };
  }

  async create(r: ClusterRecord): Promise<void> {
    this.stmts.insert.run(r.id, r.projectId, r.createdAt, JSON.stringify({ ...r, revision: 1 }), awaitsStack(r) ? 1 : 0, JSON.stringify(holdingRow(r)));
  }

  /** A reservation lapses by itself (seconds): one lost to a power cut is no loss, so its writes are
   * committed without waiting for the disk (synchronous=NORMAL, still atomic and seen by every process
   * at once); a create's two fsyncs of three were these (the POST's p99 is the disk's). */
  private lightly<T>(write: () => T): T {
    this.db.pragma('synchronous = NORMAL');
    try { return write(); } finally { this.db.pragma('synchronous = FULL'); }
  }

  async reserve(projectId: string, r: Reservation, now: number): Promise<Reservation[]> {
    return this.lightly(() => this.db.transaction(() => {
      this.stmts.expire.run(projectId, now);
      this.stmts.reserve.run(projectId, r.id, r.until, JSON.stringify(r));
      return this.stmts.reserved.all(projectId).map((x) => JSON.parse(x.body) as Reservation);
    }).immediate());
  }

  async release(projectId: string, id: string): Promise<void> {
    this.lightly(() => this.stmts.release.run(projectId, id));
  }

  async get(id: string): Promise<ClusterRecord | undefined> {
    const row = this.stmts.get.get(id);
    return row ? JSON.parse(row.record) as ClusterRecord : undefined;
  }

  async listByProject(projectId: string): Promise<ClusterRecord[]> {
    return this.stmts.byProject.all(projectId).map((r) => JSON.parse(r.record) as ClusterRecord);
  }

  async holdings(projectId: string, q: HoldingsQuery): Promise<Holdings> {
    return this.db.transaction(() => {
      const byId = new Map<string, HoldingRow>();
      const add = (raw: string) => { const h = JSON.parse(raw) as HoldingRow; byId.set(h.id, h); };
      for (const row of this.stmts.holding.all(projectId, projectId, new Date(q.since).toISOString())) add(row.holding);
      for (const id of q.ids) {
        const row = byId.has(id) ? undefined : this.stmts.holdingOf.get(id, projectId);
        if (row) add(row.holding);
      }
      return { count: this.stmts.count.get(projectId)?.n ?? 0, records: [...byId.values()] };
    }).deferred();
  }

  async listIds(): Promise<string[]> {
    return this.stmts.ids.all().map((r) => r.id);
  }

  async update(id: string, change: (current: ClusterRecord) => ClusterRecord): Promise<ClusterRecord | undefined> {
    const out = this.write(id, undefined, change);
    return out === 'stale' ? undefined : out;
  }

  async updateAt(id: string, revision: number, change: (current: ClusterRecord) => ClusterRecord): Promise<ClusterRecord | 'stale' | undefined> {
    return this.write(id, revision, change);
  }

  private write(id: string, revision: number | undefined, change: (current: ClusterRecord) => ClusterRecord): ClusterRecord | 'stale' | undefined {
    // one synchronous transaction: nothing else runs in between in this process, and
    // SQLite's write lock keeps other processes out
    return this.db.transaction(() => {
      const row = this.stmts.get.get(id);
      if (!row) return undefined;
      const current = JSON.parse(row.record) as ClusterRecord;
      if (revision !== undefined && (current.revision ?? 0) !== revision) return 'stale' as const;
      const next = { ...change(current), revision: (current.revision ?? 0) + 1 };
      this.stmts.put.run(JSON.stringify(next), awaitsStack(next) ? 1 : 0, JSON.stringify(holdingRow(next)), id);
      return next;
    }).immediate();
  }

  async delete(id: string): Promise<void> {
    this.stmts.del.run(id);
  }

  async countByState(): Promise<Record<string, number>> {
    return Object.fromEntries(this.stmts.states.all().map((r) => [r.state, r.n]));
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
