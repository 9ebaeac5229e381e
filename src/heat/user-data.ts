// A node's user_data: one bash script. The header (node facts, the signal and secret
// helpers), every framework's lib at top level, then one section per framework in install
// order (its `all` script, then the one for the node's role) and the frameworks' `post`
// sections. Each section signals its node's wait condition when it ends (SUCCESS with the
// section's name as id: per-framework progress) or FAILURE with the framework and the last
// lines of the log. Heat fills the __DISCO_*__ placeholders per node (node.yaml's
// str_replace): name, role, master address, signal credentials (HEAT_SIGNAL), the install timeout, and the cluster's
// secrets (a hidden parameter, so they are in neither this text nor the stack's display).
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { artifactTable } from '../frameworks/artifacts.js';
import { libFiles } from '../frameworks/manifest.js';
import type { Framework } from '../frameworks/catalog.js';
import { stripComments } from './strip-comments.js';

export type Role = 'master' | 'worker';

/** Nova refuses user_data over 65535 bytes once base64-encoded: 49151 bytes raw, less room for Heat's substitutions. */
export const USER_DATA_LIMIT = 45_000;

/** A value as a single-quoted bash word. */
export const shellQuote = (v: string | number | boolean): string => `'${String(v).replace(/'/g, `'\\''`)}'`;

const envName = (...parts: string[]) => `DISCO_${parts.join('_')}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');

// The node script's fixed parts are bash files of their own (shellcheck checks them with the rest).
const NODE_DIR = fileURLToPath(new URL('../../templates/node/', import.meta.url));
/** Node facts, the signal, secret and fetch helpers, and the section runner. */
const HEADER = readFileSync(join(NODE_DIR, 'header.sh'), 'utf8');

// The frameworks' part travels gzipped (Nova's limit; every framework at once is ~57 KB of
// bash) and is kept on the node, root-only, as the script that ran.
const RUN = readFileSync(join(NODE_DIR, 'run.sh'), 'utf8');
/** disco_artifact and its helpers: in the gzipped part (the header is not compressed). */
const ARTIFACTS = stripComments(readFileSync(join(NODE_DIR, 'artifacts.sh'), 'utf8').replace(/^#!.*\n/, '')).trim();
/** The master's drain agent (clusters with a framework that drains): in the gzipped part too. */
const DRAIN = stripComments(readFileSync(join(NODE_DIR, 'drain.sh'), 'utf8').replace(/^#!.*\n/, '')).trim();

/** The frameworks' drain hooks, as DISCO_DRAIN_HOOKS lists them ("function:address ..."); '' when none drains. */
export const drainHooks = (frameworks: readonly Framework[]): string =>
  frameworks.flatMap((f) => (f.drain ? [`${f.drain.function}:${f.drain.by}`] : [])).join(' ');

export interface UserDataContext {
  clusterName: string;
  /** What node names start with (node-names.ts): the master is <nodePrefix>-master. */
  nodePrefix?: string;
  workers: number;
  mirrorUrl: string;
  /** Who logs in with the cluster's key (GET's ssh_user): DISCO_SSH_USER. */
  sshUser?: string;
  /** The flavors' figures (master_vcpus, worker_ram_mb, ...), exported as DISCO_MASTER_VCPUS, ... */
  facts: Record<string, number>;
  /** How long the master's drain may take before the scale-down fails (SM_DRAIN_TIMEOUT_SECONDS). */
  drainTimeoutSeconds?: number;
  properties: Record<string, Record<string, string | number | boolean>>;
}

// a framework's scripts are read once per process, as its manifest is (the catalog is loaded at start)
const scripts = new Map<string, string>();
const read = (f: Framework, file: string): string => {
  const path = join(f.dir, file);
  let text = scripts.get(path);
  if (text === undefined) scripts.set(path, text = stripComments(readFileSync(path, 'utf8').replace(/^#!.*\n/, '')));
  return text;
};
const script = (f: Framework, key: Exclude<keyof Framework['scripts'], 'lib'>): string | undefined => {
  const file = f.scripts[key];
  return file ? read(f, file) : undefined;
};
/** A framework's lib files, joined; undefined when it has none. */
const lib = (f: Framework): string | undefined => (libFiles(f).length ? libFiles(f).map((x) => read(f, x).trim()).join('\n') : undefined);

/** The sections every node runs, in order: the wait condition's signal count. */
export function sectionNames(frameworks: readonly Framework[]): string[] {
  return [...frameworks.map((f) => f.name), ...frameworks.filter((f) => f.scripts.post).map((f) => `${f.name}-post`)];
}

/** `level`: gzip's; 1 renders for a size check only (see renderer.ts checkSize), 9 for the stack. */
export function renderUserData(frameworks: readonly Framework[], role: Role, ctx: UserDataContext, level = 9): string {
  const env = [
    `export DISCO_CLUSTER=${shellQuote(ctx.clusterName)} DISCO_MASTER_NAME=${shellQuote(`${ctx.nodePrefix ?? ctx.clusterName}-master`)}`,
    `export DISCO_WORKERS=${ctx.workers} DISCO_MIRROR=${shellQuote(ctx.mirrorUrl.replace(/\/+$/, ''))}`,
    `export DISCO_SSH_USER=${shellQuote(ctx.sshUser ?? '')}`,
    // what the frameworks download, with the SHA-512 each is checked against (disco_artifact)
    `export DISCO_ARTIFACTS=${shellQuote(artifactTable(frameworks))}`,
    // the web UIs the master's gateway serves (bootstrap's master.sh): name:port:gateway_port[:nodes]
    `export DISCO_GATEWAY_UIS=${shellQuote(frameworks.flatMap((f) => f.ui.map((u) => `${u.name}:${u.port}:${u.gateway_port}${u.nodes ? ':nodes' : ''}`)).join(' '))}`,
    ...(drainHooks(frameworks) ? [`export DISCO_DRAIN_HOOKS=${shellQuote(drainHooks(frameworks))} DISCO_DRAIN_TIMEOUT=${ctx.drainTimeoutSeconds ?? 1800}`] : []),
    ...Object.entries(ctx.facts).filter(([k]) => /^(master|worker)_/.test(k)).map(([k, v]) => `export ${envName(k)}=${v}`),
    ...frameworks.flatMap((f) => [[`version`, f.version] as const, ...Object.entries(ctx.properties[f.name] ?? {})]
      .map(([p, v]) => `export ${envName(f.name, p)}=${shellQuote(v)}`)),
  ];
  const libs = frameworks.map((f) => lib(f)).filter((x): x is string => x !== undefined)
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
  const body = [...env, '', ARTIFACTS, '', ...(role === 'master' && drainHooks(frameworks) ? [DRAIN, ''] : []), ...libs, '', ...sections, 'echo "== all sections done"', ''].join('\n');
  const payload = gzipSync(body, { level }).toString('base64').replace(/.{1,76}/g, '$&\n').trimEnd();
  const outline = `# sections: ${sectionNames(frameworks).join(' ')}\n`;
  return [HEADER, outline, RUN.replace('__PAYLOAD__', payload)].join('\n');
}

/** The frameworks' part of a rendered node script, decompressed (tests, golden files). */
export function nodeScriptBody(userData: string): string {
  const m = /<<'DISCO_PAYLOAD'[^\n]*\n([\s\S]*?)\nDISCO_PAYLOAD\n/.exec(userData);
  return m ? gunzipSync(Buffer.from(m[1]!, 'base64')).toString('utf8') : '';
}
