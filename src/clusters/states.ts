// The cluster state machine's vocabulary (architecture.md) and how the ICCLab attributes
// old clients read are derived from it.
export const CLUSTER_STATES = ['pending', 'deploying', 'installing', 'ready', 'updating', 'suspended',
  'deleting', 'deleted', 'failed'] as const;
export type ClusterState = typeof CLUSTER_STATES[number];

/** The closed list of reasons a cluster failed (GET shows it as icclab.disco.reason). */
export const REASON_CODES = {
  HEAT_CREATE_FAILED: 'Heat could not create the stack',
  HEAT_DELETE_FAILED: 'Heat could not delete the stack',
  STACK_MISSING: 'the stack disappeared from Heat outside this service',
  AUTH_EXPIRED: "the caller's token expired before the stack create was sent",
  AUTH_FAILED: 'OpenStack refused the credentials kept for this cluster',
  QUOTA: 'the project quota does not allow it',
  OPENSTACK_ERROR: 'OpenStack answered with an error',
  TIMEOUT: 'a phase took longer than its configured timeout',
  BOOTSTRAP_FAILED: 'a node failed to install its frameworks',
} as const;
export type ReasonCode = keyof typeof REASON_CODES;

/** Records in these states need the reconciler's attention after a restart. */
export function isSettled(state: ClusterState, desired: 'present' | 'absent'): boolean {
  return desired === 'present' && (state === 'ready' || state === 'failed' || state === 'suspended');
}

/** ICCLab's mcn.service.state vocabulary, derived from our state. */
export function mcnServiceState(state: ClusterState): string {
  switch (state) {
    case 'pending': return 'init';
    case 'deploying': case 'installing': return 'deploying';
    case 'ready': case 'suspended': return 'ready';
    case 'updating': return 'updating';
    case 'deleting': case 'deleted': return 'disposing';
    case 'failed': return 'failed';
  }
}
