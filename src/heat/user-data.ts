// A node's user_data: one bash script. The header (node facts, the signal and secret
// helpers), every framework's lib at top level, then one section per framework in install
// order (its `all` script, then the one for the node's role) and the frameworks' `post`
// sections. Each section signals its node's wait condition when it ends (SUCCESS with the
// section's name as id: per-framework progress) or FAILURE with the framework and the last
// lines of the log. Heat fills the __DISCO_*__ placeholders per node (node.yaml's
// str_replace): name, role, master address, signal endpoint and token, and the cluster's
// secrets (a hidden parameter, so they are in neither this text nor the stack's display).
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { Framework } from '../frameworks/catalog.js';

export type Role = 'master' | 'worker';

/** Nova refuses user_data over 65535 bytes once base64-encoded: 49151 bytes raw, less room for Heat's substitutions. */
export const USER_DATA_LIMIT = 45_000;

/** A value as a single-quoted bash word. */
export const shellQuote = (v: string | number | boolean): string => `'${String(v).replace(/'/g, `'\\''`)}'`;

const envName = (...parts: string[]) => `DISCO_${parts.join('_')}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');

const HEADER = `#!/bin/bash
# DISCO node bootstrap, rendered by the DISCO service manager (see docs/frameworks.md).
set -euo pipefail
umask 022
export DISCO_NODE='__DISCO_NODE__' DISCO_ROLE='__DISCO_ROLE__' DISCO_MASTER_IP='__DISCO_MASTER_IP__'
DISCO_SIGNAL_URL='__DISCO_SIGNAL_URL__'
DISCO_SIGNAL_TOKEN='__DISCO_SIGNAL_TOKEN__'
DISCO_SECRETS='__DISCO_SECRETS__'
DISCO_LOG=\${DISCO_LOG:-/var/log/disco-bootstrap.log}
touch "$DISCO_LOG" && chmod 600 "$DISCO_LOG"
exec >>"$DISCO_LOG" 2>&1
disco_json() { printf '%s' "$1" | tr -d '\\000-\\037' | sed 's/\\\\/\\\\\\\\/g; s/"/\\\\"/g'; }
# disco_signal STATUS SECTION REASON: tell this node's wait condition
disco_signal() {
  local body
  body=$(printf '{"status": "%s", "id": "%s", "reason": "%s", "data": "%s"}' "$1" "$(disco_json "$2")" \\
    "$(disco_json "node=$DISCO_NODE framework=$2: $3")" "$(disco_json "$2")")
  curl -sf --retry 10 --retry-delay 5 -X POST -H "X-Auth-Token: $DISCO_SIGNAL_TOKEN" \\
    -H 'Content-Type: application/json' --data-binary "$body" "$DISCO_SIGNAL_URL" >/dev/null
}
# disco_secret NAME: a cluster secret on stdout (lines "name base64(value)", all base64)
disco_secret() {
  local line
  line=$(printf '%s' "$DISCO_SECRETS" | base64 -d | awk -v n="$1" '$1 == n { print $2 }')
  if [ -n "$line" ]; then printf '%s' "$line" | base64 -d; fi
}
# disco_fetch PATH DEST: an artifact from the mirror, checked against PATH.sha512 when there is one
disco_fetch() {
  if [ -z "\${DISCO_MIRROR:-}" ]; then echo "no artifact mirror configured (SM_MIRROR_URL) to fetch $1" >&2; return 1; fi
  curl -fsSL --retry 5 --retry-delay 3 -o "$2.part" "$DISCO_MIRROR/$1"
  local sum
  if sum=$(curl -fsSL --retry 3 "$DISCO_MIRROR/$1.sha512" 2>/dev/null); then
    sum=$(printf '%s' "$sum" | grep -oiE '[0-9a-f]{128}' | head -n 1 | tr 'A-F' 'a-f')
    [ -n "$sum" ] || { echo "$DISCO_MIRROR/$1.sha512 holds no SHA-512" >&2; return 1; }
    echo "$sum  $2.part" | sha512sum -c --quiet - || { echo "$1: checksum mismatch" >&2; return 1; }
  fi
  mv "$2.part" "$2"
}
# disco_section NAME FUNCTION: run one section; report its end, or its failure and stop
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
  disco_signal SUCCESS "$fw" installed
}
`;

// The frameworks' part travels gzipped (Nova's limit; every framework at once is ~57 KB of
// bash) and is kept on the node, root-only, as the script that ran.
const RUN = `DISCO_STATE=\${DISCO_STATE:-/var/lib/disco-bootstrap}
install -d -m 700 "$DISCO_STATE"
base64 -d <<'DISCO_PAYLOAD' | gunzip >"$DISCO_STATE/node-script.sh"
__PAYLOAD__
DISCO_PAYLOAD
# shellcheck source=/dev/null
. "$DISCO_STATE/node-script.sh"
`;

export interface UserDataContext {
  clusterName: string;
  workers: number;
  mirrorUrl: string;
  /** The flavors' figures (master_vcpus, worker_ram_mb, ...), exported as DISCO_MASTER_VCPUS, ... */
  facts: Record<string, number>;
  properties: Record<string, Record<string, string | number | boolean>>;
}

const script = (f: Framework, key: keyof Framework['scripts']): string | undefined => {
  const file = f.scripts[key];
  return file ? readFileSync(join(f.dir, file), 'utf8').replace(/^#!.*\n/, '') : undefined;
};

/** The sections every node runs, in order: the wait condition's signal count. */
export function sectionNames(frameworks: readonly Framework[]): string[] {
  return [...frameworks.map((f) => f.name), ...frameworks.filter((f) => f.scripts.post).map((f) => `${f.name}-post`)];
}

export function renderUserData(frameworks: readonly Framework[], role: Role, ctx: UserDataContext): string {
  const env = [
    `export DISCO_CLUSTER=${shellQuote(ctx.clusterName)} DISCO_MASTER_NAME=${shellQuote(`${ctx.clusterName}-master`)}`,
    `export DISCO_WORKERS=${ctx.workers} DISCO_MIRROR=${shellQuote(ctx.mirrorUrl.replace(/\/+$/, ''))}`,
    ...Object.entries(ctx.facts).filter(([k]) => /^(master|worker)_/.test(k)).map(([k, v]) => `export ${envName(k)}=${v}`),
    ...frameworks.flatMap((f) => [[`version`, f.version] as const, ...Object.entries(ctx.properties[f.name] ?? {})]
      .map(([p, v]) => `export ${envName(f.name, p)}=${shellQuote(v)}`)),
  ];
  const libs = frameworks.map((f) => script(f, 'lib')).filter((x): x is string => x !== undefined)
    .map((s) => s.trim());
  const section = (name: string, parts: (string | undefined)[]) => {
    const fn = `disco_fw_${name.replace(/[^a-z0-9]/g, '_')}`;
    const body = parts.filter((x): x is string => x !== undefined).join('\n') || `echo "${name}: nothing to do on the ${role}"`;
    return `# section: ${name}\n${fn}() {\n${body}\n}\ndisco_section ${name} ${fn}\n`;
  };
  const sections = [
    ...frameworks.map((f) => section(f.name, [script(f, 'all'), script(f, role)])),
    ...frameworks.filter((f) => f.scripts.post).map((f) => section(`${f.name}-post`, [script(f, 'post')])),
  ];
  const body = [...env, '', ...libs, '', ...sections, 'echo "== all sections done"', ''].join('\n');
  const payload = gzipSync(body, { level: 9 }).toString('base64').replace(/.{1,76}/g, '$&\n').trimEnd();
  const outline = `# sections: ${sectionNames(frameworks).join(' ')}\n`;
  return [HEADER, outline, RUN.replace('__PAYLOAD__', payload)].join('\n');
}

/** The frameworks' part of a rendered node script, decompressed (tests, golden files). */
export function nodeScriptBody(userData: string): string {
  const m = /<<'DISCO_PAYLOAD'[^\n]*\n([\s\S]*?)\nDISCO_PAYLOAD\n/.exec(userData);
  return m ? gunzipSync(Buffer.from(m[1]!, 'base64')).toString('utf8') : '';
}
