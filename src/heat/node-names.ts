// Node names are host names: at most 63 characters (RFC 1123 labels; cloud-init and hostnamectl
// refuse longer). A title may take all 63, so the nodes' prefix is the title when it leaves
// room for "-worker-9999", and otherwise its start plus a hash of the whole (titles that share
// a long start still get different names).
import { createHash } from 'node:crypto';

/** The longest suffix a node name gets: "-worker-" and four digits of its index. */
const SUFFIX = '-worker-9999'.length;
export const HOSTNAME_MAX = 63;
export const NODE_PREFIX_MAX = HOSTNAME_MAX - SUFFIX;

export function nodePrefix(clusterName: string): string {
  if (clusterName.length <= NODE_PREFIX_MAX) return clusterName;
  const hash = createHash('sha256').update(clusterName).digest('hex').slice(0, 8);
  return `${clusterName.slice(0, NODE_PREFIX_MAX - 9).replace(/-+$/, '')}-${hash}`;
}
