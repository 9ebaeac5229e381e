// A node's user_data: one bash script, the common bootstrap first, then one section per
// framework in install order (its `all` script, then the one for the node's role), each
// logging its start and end; a failing section signals FAILURE with the framework and the
// last lines of the log, and the end signals SUCCESS. Heat fills the __DISCO_*__
// placeholders per node (node.yaml's str_replace): name, role, master address, and the
// node's wait-condition endpoint and token.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Framework } from '../frameworks/catalog.js';

export type Role = 'master' | 'worker';

/** A value as a single-quoted bash word. */
export const shellQuote = (v: string | number | boolean): string => `'${String(v).replace(/'/g, `'\\''`)}'`;

const envName = (fw: string, prop: string) => `DISCO_${fw}_${prop}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');

const HEADER = `#!/bin/bash
# DISCO node bootstrap, rendered by the DISCO service manager.
set -euo pipefail
export DISCO_NODE='__DISCO_NODE__' DISCO_ROLE='__DISCO_ROLE__' DISCO_MASTER_IP='__DISCO_MASTER_IP__'
DISCO_SIGNAL_URL='__DISCO_SIGNAL_URL__'
DISCO_SIGNAL_TOKEN='__DISCO_SIGNAL_TOKEN__'
DISCO_LOG=\${DISCO_LOG:-/var/log/disco-bootstrap.log}
exec >>"$DISCO_LOG" 2>&1
disco_json() { printf '%s' "$1" | tr -d '\\000-\\037' | sed 's/\\\\/\\\\\\\\/g; s/"/\\\\"/g'; }
# disco_signal STATUS FRAMEWORK REASON: tell this node's wait condition
disco_signal() {
  local body
  body=$(printf '{"status": "%s", "id": "%s", "reason": "%s", "data": "%s"}' "$1" "$(disco_json "$DISCO_NODE")" \\
    "$(disco_json "node=$DISCO_NODE framework=$2: $3")" "$(disco_json "$2")")
  curl -sf --retry 10 --retry-delay 5 -X POST -H "X-Auth-Token: $DISCO_SIGNAL_TOKEN" \\
    -H 'Content-Type: application/json' --data-binary "$body" "$DISCO_SIGNAL_URL"
}
# disco_section FRAMEWORK FUNCTION: run one framework's install; report a failure and stop
disco_section() {
  local fw=$1 rc
  echo "== $fw: start $(date -u +%FT%TZ)"
  # not as an if condition: there bash would ignore set -e inside the section
  set +e
  ( set -euo pipefail; "$2" )
  rc=$?
  set -e
  if [ "$rc" != 0 ]; then
    disco_signal FAILURE "$fw" "exit $rc: $(tail -n 20 "$DISCO_LOG" | tr '\\n' ' ' | cut -c1-900)"
    exit 1
  fi
  echo "== $fw: done $(date -u +%FT%TZ)"
}
`;

export interface UserDataContext {
  clusterName: string;
  workers: number;
  mirrorUrl: string;
  properties: Record<string, Record<string, string | number | boolean>>;
}

export function renderUserData(frameworks: readonly Framework[], role: Role, ctx: UserDataContext): string {
  const env = [
    `export DISCO_CLUSTER=${shellQuote(ctx.clusterName)} DISCO_WORKERS=${ctx.workers} DISCO_MIRROR=${shellQuote(ctx.mirrorUrl)}`,
    ...frameworks.flatMap((f) => Object.entries(ctx.properties[f.name] ?? {})
      .map(([p, v]) => `export ${envName(f.name, p)}=${shellQuote(v)}`)),
  ];
  const sections = frameworks.map((f) => {
    const fn = `disco_fw_${f.name.replace(/[^a-z0-9]/g, '_')}`;
    const parts = [f.scripts.all, f.scripts[role]].filter((x): x is string => Boolean(x))
      .map((s) => readFileSync(join(f.dir, s), 'utf8').replace(/^#!.*\n/, ''));
    const body = parts.length ? parts.join('\n') : `echo "${f.name}: nothing to install on the ${role}"`;
    return `# --- section: ${f.name}\n${fn}() {\n${body}\n}\ndisco_section ${f.name} ${fn}\n`;
  });
  const installed = frameworks.map((f) => f.name).join(' ');
  return [HEADER, ...env, '', ...sections, `disco_signal SUCCESS all ${shellQuote(`installed: ${installed}`)}`, ''].join('\n');
}
