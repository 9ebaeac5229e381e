// The SQLite store's tables, and the step that brings an older data directory up to them
// (run at every open, in one transaction: a data volume from an earlier version keeps its
// records and gains the count and the index admission reads).
import type Database from 'better-sqlite3';
import type { ClusterRecord } from '../clusters/record.js';
import { awaitsStack, holdingRow } from './holdings.js';

export function migrate(db: Database.Database): void {
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS clusters (
      id TEXT PRIMARY KEY,
      project_id TEXT NOT NULL,
      created_at TEXT NOT NULL,
      record TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS clusters_project ON clusters (project_id, created_at);
    CREATE TABLE IF NOT EXISTS reservations (
      project_id TEXT NOT NULL,
      id TEXT NOT NULL,
      until INTEGER NOT NULL,
      body TEXT NOT NULL,
      PRIMARY KEY (project_id, id)
    );`);
    const columns = db.prepare<[], { name: string }>('PRAGMA table_info(clusters)').all().map((c) => c.name);
    if (!columns.includes('holding')) {
      // the records an older version wrote gain the two columns, once, by the rules the writes use
      db.exec(`ALTER TABLE clusters ADD COLUMN awaits_stack INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE clusters ADD COLUMN holding TEXT NOT NULL DEFAULT '{}';`);
      const put = db.prepare('UPDATE clusters SET awaits_stack = ?, holding = ? WHERE id = ?');
      for (const row of db.prepare<[], { record: string }>('SELECT record FROM clusters').all()) {
        const r = JSON.parse(row.record) as ClusterRecord;
        put.run(awaitsStack(r) ? 1 : 0, JSON.stringify(holdingRow(r)), r.id);
      }
    }
    db.exec('CREATE INDEX IF NOT EXISTS clusters_awaiting ON clusters (project_id) WHERE awaits_stack = 1');
    const counted = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'project_counts'").get();
    if (!counted) {
      db.exec(`CREATE TABLE project_counts (project_id TEXT PRIMARY KEY, n INTEGER NOT NULL);
        INSERT INTO project_counts SELECT project_id, count(*) FROM clusters GROUP BY project_id;
        CREATE TRIGGER clusters_counted AFTER INSERT ON clusters BEGIN
          INSERT INTO project_counts (project_id, n) VALUES (new.project_id, 1) ON CONFLICT (project_id) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER clusters_uncounted AFTER DELETE ON clusters BEGIN
          UPDATE project_counts SET n = n - 1 WHERE project_id = old.project_id;
        END;`);
    }
  }).immediate();
}
