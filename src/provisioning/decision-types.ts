// The vocabulary of Reconcile(id)'s decisions (decide.ts): what was observed, the one cloud
// action, and the record changes before and after it.
import type { ClusterRecord, NodeProgress, StackEventEntry } from '../clusters/record.js';

export type Patch = Partial<Omit<ClusterRecord, 'id' | 'projectId' | 'userId' | 'createdAt' | 'revision'>>;

/** The provisioning settings decisions read (config `provisioning`, timers in seconds). */
export interface Settings {
  pollInitialMs: number;
  pollMaxMs: number;
  deleteRetryMaxMs: number;
  createTimeoutMinutes: number;
  installTimeoutSeconds: number;
  updateTimeoutSeconds: number;
  deleteTimeoutSeconds: number;
  failedRetentionSeconds: number;
  createInDoubtSeconds: number;
}

/** The stack as Heat answered, reduced to what decisions read. */
export interface StackSeen {
  id: string;
  status: string;
  statusReason: string;
  /** The ResourceGroup count (parameter worker_count); null when Heat did not say. */
  workerCount: number | null;
  outputs: ClusterRecord['outputs'];
}

export interface Observation {
  now: number;
  /** What the sealed secrets hold: the cluster's application credential, the caller's token for the create. */
  has: { credential: boolean; createToken: boolean };
  /** undefined: not looked at; null: Heat has no such stack; 'refused': Keystone refused the cluster's credential. */
  stack?: StackSeen | null | 'refused';
  /** Read while the stack is being created: servers up, wait conditions complete, sections signalled. */
  progress?: NodeProgress;
  /** The stack's events and node signals, oldest first, when they were read. */
  events?: StackEventEntry[];
  /** The node script's sections, in order (a ready cluster's progress counts every node in each). */
  sections: readonly string[];
}

export type Action =
  | { kind: 'none' }
  | { kind: 'makeCredential' }
  | { kind: 'createStack' }
  | { kind: 'patchWorkers'; workers: number }
  | { kind: 'suspend' }
  | { kind: 'resume' }
  | { kind: 'deleteStack' }
  | { kind: 'deleteCredential' };

export interface Outcome {
  /** Saved to the record (merged into the current one, see applyChange). */
  change?: Patch;
  /** Changes to the sealed secrets (undefined values drop a secret). */
  secrets?: { createToken?: undefined; appCredentialId?: string; appCredentialSecret?: string };
  /** The record goes. */
  remove?: boolean;
  /** Look again after this many ms; undefined: only when asked. */
  requeueAfterMs?: number;
}

export interface Decision {
  /** Saved before the action (an intent a crash must not lose), or the whole step when the action is none. */
  before: Outcome;
  action: Action;
  /** Saved after the action succeeded (with what it returned: a stack id, a credential). */
  onDone: Outcome;
}

