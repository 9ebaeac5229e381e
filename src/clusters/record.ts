// A cluster as stored: the desired state and spec, what the reconciler last saw, and the
// secrets, sealed (never in clear at rest).
import type { ClusterState, ReasonCode } from './states.js';
import type { FrameworkRequest } from './inject.js';

export interface ClusterSpec {
  name: string;
  /** Who logs in to the nodes with the cluster's key: the master image's os_admin_user, else clusters.sshUser. */
  sshUser?: string;
  masterFlavor: string;     // as given (name or id); checked to exist at create
  workerFlavor: string;
  masterImage: string;
  workerImage: string;
  workers: number;
  externalNetwork: string;
  networkName: string;
  frameworks: FrameworkRequest[];
  /** Settled framework properties (defaults applied; secret ones are in the sealed secrets). */
  components: Record<string, Record<string, string | number | boolean>>;
  /** The flavors' figures and the worker count, as the manifests' expressions and the node scripts see them. */
  facts?: Record<string, number>;
}

export interface ClusterOutputs {
  externalIp?: string;
  masterIp?: string;
  sshKeyName?: string;
  sshPublicKey?: string;
  /** The gateway's certificate, as the master signalled it: SHA-256 fingerprint, and curl's --pinnedpubkey form. */
  gatewayFingerprint?: string;
  gatewayPin?: string;
}

/** What is sealed in ClusterRecord.sealedSecrets. */
export interface ClusterSecrets {
  sshPrivateKey: string;
  appCredentialId?: string;
  appCredentialSecret?: string;
  /** The caller's own token, kept only until the stack create was sent. */
  createToken?: string;
  /** Framework properties declared secret (jupyter.password, bootstrap.post_init) and generated secrets (jupyter.token). */
  frameworkSecrets?: Record<string, Record<string, string | number | boolean>>;
  /** The cluster's internal ed25519 key pair: every node has it (node-to-node SSH). */
  clusterPrivateKey?: string;
  clusterPublicKey?: string;
}

export interface NodeProgress {
  nodes: number;
  serversUp: number;
  installed: number;
  /** Per section of the node script (a framework), the nodes that finished it. */
  sections?: Record<string, number>;
}

export interface ClusterRecord {
  id: string;
  projectId: string;
  userId: string;
  desired: 'present' | 'absent';
  state: ClusterState;
  reason: ReasonCode | null;
  message: string | null;
  spec: ClusterSpec;
  /** The request's own attributes (non-secret), as current values. */
  attributes: Record<string, string | number | boolean>;
  stackName: string;
  stackId: string | null;
  stackStatus: string | null;
  stackStatusReason: string | null;
  outputs: ClusterOutputs;
  /** ClusterSecrets as JSON, sealed (crypto/secret-box.ts: "v2:<key id>:...", or the older "v1:..."), the record id as additional data. */
  sealedSecrets: string;
  createTokenExpiresAt: string | null;
  /** What the cluster was admitted with (quota), counted against the project until its stack create is sent. */
  admittedNeeds?: Record<string, number>;
  /** When a stack create was (about to be) sent and not yet seen answered: Heat may still be making it. */
  createSentAt?: string | null;
  /** When a delete saw the stack gone; from then on the credential and the record go, without asking Heat again. */
  stackGoneAt?: string | null;
  createdAt: string;
  updatedAt: string;
  /** The store's count of writes to this record: 1 when created, one more on every update.
   * Set by the store alone; answers rendered from one revision can be reused. */
  revision?: number;
  /** Nodes whose server is up, and whose install signalled success. */
  progress?: NodeProgress;
  /** Consecutive polls in the current phase (drives the backoff). */
  polls: number;
  /** The worker count before a scale in progress (a failed scale goes back to it). */
  scaleFrom?: number | null;
  /** Why the last scale was rolled back; shown as the message while the cluster is ready again, until the next scale. */
  scaleFailure?: string | null;
  /** The run state the owner asked for (suspend/resume); absent: running. */
  runstate?: 'running' | 'suspended';
  /** Disposable clusters (expiry.ts). */
  lifetimeSeconds?: number | null;
  deadline?: string | null;
  /** The first time the cluster was ready (the lifetime counts from it). */
  readyAt?: string | null;
  /** State changes, oldest first (GET /disco/<id>/events); capped. */
  history?: HistoryEntry[];
  /** The stack's Heat events and the nodes' signals as the reconciler last read them, oldest first; capped. */
  stackEvents?: StackEventEntry[];
}

/** A Heat event of the stack or its nested stacks, or a node's signal (Heat records signals as events). */
export type StackEventEntry =
  | { id: string; time: string; source: 'heat'; stack: string; resource: string; status: string; reason: string }
  | { id: string; time: string; source: 'node'; node: string; framework: string; status: 'SUCCESS' | 'FAILURE'; reason: string };

export interface HistoryEntry {
  time: string;
  state: ClusterState;
  reason?: ReasonCode | null;
  message?: string | null;
}
