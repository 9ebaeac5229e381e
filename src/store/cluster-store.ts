// Where cluster records live. Embedded: SQLite (sqlite-store.ts); production: Redis
// (redis-store.ts), shared by every API and worker process. Both keep the same promises: an acknowledged write survives a crash, and
// update() is an atomic read-modify-write.
import type { ClusterRecord } from '../clusters/record.js';
import type { Holdings, HoldingsQuery } from './holdings.js';

/** Room held for a cluster while it is admitted (see admission/reservation.ts). */
export interface Reservation { id: string; until: number; needs: Record<string, number> }

export interface ClusterStore {
  /** Adds `r` to the project's reservations and returns the live ones (`r` among them), in
   * one step: of two processes admitting at once, the later always sees the earlier. */
  reserve(projectId: string, r: Reservation, now: number): Promise<Reservation[]>;
  release(projectId: string, id: string): Promise<void>;
  /** Inserts a new record (at revision 1); durable when the promise resolves. */
  create(record: ClusterRecord): Promise<void>;
  get(id: string): Promise<ClusterRecord | undefined>;
  listByProject(projectId: string): Promise<ClusterRecord[]>;
  /** What admission needs of a project (holdings.ts), read from the store's own count and
   * index: the time taken does not grow with the project's records. */
  holdings(projectId: string, q: HoldingsQuery): Promise<Holdings>;
  /** Ids of every record, for the reconciler's start-up sweep. */
  listIds(): Promise<string[]>;
  /** Atomically applies `change` to the current record and counts one more revision;
   * the new record, or undefined when there is none. */
  update(id: string, change: (current: ClusterRecord) => ClusterRecord): Promise<ClusterRecord | undefined>;
  /** update(), only while the record is still at `revision` (a compare-and-swap): 'stale' when
   * another write came after that revision was read, and nothing is written. */
  updateAt(id: string, revision: number, change: (current: ClusterRecord) => ClusterRecord): Promise<ClusterRecord | 'stale' | undefined>;
  delete(id: string): Promise<void>;
  /** How many records are in each state, for the metrics. */
  countByState(): Promise<Record<string, number>>;
  /** Rejects when the store cannot be reached, for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
