// The real nodes the local cloud runs (scripts/local-cloud/nodes/ctl keeps one directory per
// node): tests find a node's network namespace by its name, to serve a stand-in metadata
// service inside it or to look at its network's bridge.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const NODES = join(process.env.LOCAL_CLOUD_STATE ?? '/var/lib/disco-local-cloud', 'nodes');
const read = (dir: string, f: string) => { try { return readFileSync(join(dir, f), 'utf8').trim(); } catch { return ''; } };

export interface NodeDir { id: string; name: string; net: string; ip: string; netns: string; netNetns: string }

export function nodeDirs(): NodeDir[] {
  let ids: string[] = [];
  try { ids = readdirSync(join(NODES, 'node')); } catch { /* none yet */ }
  return ids.map((id) => {
    const dir = join(NODES, 'node', id);
    const net = read(dir, 'net');
    return { id, name: read(dir, 'name'), net, ip: read(dir, 'ip'), netns: `dnode-${id.slice(0, 8)}`, netNetns: `dnet-${net.slice(0, 8)}` };
  }).filter((n) => n.name);
}

export function nodeNamed(name: string): NodeDir {
  const n = nodeDirs().find((d) => d.name === name);
  if (!n) throw new Error(`no real node named ${name} (${nodeDirs().map((d) => d.name).join(', ')})`);
  return n;
}
