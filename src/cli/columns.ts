// The columns the CLI shows of a cluster, in one place: the list's, and everything `show` has.
import type { Cluster } from '../client/cluster.js';

export const LIST_COLUMNS = ['id', 'name', 'state', 'frameworks', 'workers', 'created_at', 'expires_at'] as const;
export const SHOW_COLUMNS = ['id', 'name', 'state', 'reason', 'message', 'progress', 'frameworks', 'workers', 'master_flavor', 'worker_flavor',
  'master_image', 'worker_image', 'external_ip', 'ssh_user', 'created_at', 'updated_at', 'expires_at', 'lifetime', 'deadline', 'uis', 'properties', 'attributes'] as const;

/** A cluster as a row of named columns (the names are the -c values). */
export function clusterRow(c: Cluster): Record<string, unknown> {
  return {
    id: c.id, name: c.title, state: c.state, reason: c.reason, message: c.message, progress: c.progress,
    frameworks: c.frameworks.filter((f) => f !== 'bootstrap'), workers: c.workers,
    master_flavor: c.masterFlavor, worker_flavor: c.workerFlavor, master_image: c.masterImage, worker_image: c.workerImage,
    external_ip: c.externalIp, ssh_user: c.sshUser, created_at: c.createdAt, updated_at: c.updatedAt, expires_at: c.expiresAt,
    lifetime: c.lifetime, deadline: c.deadline, uis: Object.fromEntries(c.uis.map((u) => [u.name, u.url])), properties: c.properties,
    // the private key never goes to a terminal or a file by accident: `disco ssh` uses it
    attributes: Object.fromEntries(Object.entries(c.attributes).filter(([k]) => k !== 'ssh_private_key')),
  };
}
