// What the node simulator does, as functions tests can call one node at a time: find the
// DISCO nodes among Nova's servers (as the cloud admin, who may read user_data) and signal
// a node's wait condition as its bootstrap would.
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type OpenStack } from '../../src/openstack/index.js';
import { readEnvFile } from './env.js';

export interface SimNode {
  id: string;
  name: string;
  status: string;
  /** Framework sections of its bootstrap, in order. */
  sections: string[];
  /** The handle's HEAT_SIGNAL credentials, as the node script gets them. */
  signal: HeatSignal;
  /** The master's drain channel (drain.yaml's drain_agent credentials), when its cluster drains. */
  drain?: DrainChannel;
}

export interface DrainChannel { auth_url: string; user_id: string; password: string; project_id: string; stack_id: string; resource_name: string }

/** The drain channel Heat wrote into a master's script (the DISCO_DRAIN_JSON here-document). */
export function drainOf(script: string): DrainChannel | undefined {
  const json = /<<'DISCO_DRAIN_JSON'\n(.*)\nDISCO_DRAIN_JSON\n/.exec(script)?.[1];
  if (!json || json.startsWith('__')) return undefined;
  const heat = (JSON.parse(json) as { heat?: DrainChannel }).heat;
  return heat?.user_id ? heat : undefined;
}

export interface HeatSignal { auth_url: string; user_id: string; password: string; project_id: string; alarm_url: string }

export function adminCloud(): OpenStack {
  const e = readEnvFile();
  return connect({
    authUrl: e.OS_AUTH_URL!, region: e.OS_REGION_NAME!,
    credentials: { kind: 'password', username: e.ADMIN_OS_USERNAME!, password: e.ADMIN_OS_PASSWORD!, userDomain: { name: 'Default' } },
    scope: { projectName: e.ADMIN_OS_PROJECT_NAME!, projectDomain: { name: 'Default' } },
  });
}

/** The HEAT_SIGNAL credentials Heat wrote into a node script (the DISCO_SIGNAL_JSON here-document). */
export function signalOf(script: string): HeatSignal | undefined {
  const json = /<<'DISCO_SIGNAL_JSON'\n(.*)\nDISCO_SIGNAL_JSON\n/.exec(script)?.[1];
  if (!json || json.startsWith('__')) return undefined;
  const s = JSON.parse(json) as HeatSignal;
  return s.alarm_url && s.user_id ? s : undefined;
}

/** GET as the cloud admin: the answer, or undefined for a 404 (a server deleted meanwhile). */
export type AdminGet = (service: 'compute' | 'network', path: string, headers?: Record<string, string>) => Promise<Record<string, unknown> | undefined>;

export function adminGet(admin: OpenStack): AdminGet {
  return async (service, path, headers = {}) => {
    const token = await admin.session.token();
    const base = (await admin.session.endpoint(service)).replace(/\/+$/, '');
    const res = await fetch(`${base}${service === 'network' && !base.endsWith('/v2.0') ? '/v2.0' : ''}${path}`,
      { headers: { 'X-Auth-Token': token.value, Accept: 'application/json', ...headers } });
    if (res.status === 404) { await res.arrayBuffer(); return undefined; }
    if (!res.ok) throw new Error(`${service} answered ${res.status} to GET ${path}`);
    return (await res.json()) as Record<string, unknown>;
  };
}

/** The ids of the servers of these projects (of every project when none is given); `active`:
 * only those Nova made ACTIVE (the index filters, so a server still building is not read in full
 * every round: each full read makes Nova ask Neutron for its ports and security groups). */
export async function serverIds(get: AdminGet, projects?: string[], o: { active?: boolean } = {}): Promise<string[]> {
  const pages = await Promise.all((projects ?? ['']).map(async (p) =>
    ((await get('compute', `/servers?all_tenants=1${p ? `&project_id=${p}` : ''}${o.active ? '&status=ACTIVE' : ''}`, NOVA))?.servers ?? []) as { id: string }[]));
  return pages.flat().map((s) => s.id);
}

export const NOVA = { 'X-OpenStack-Nova-API-Version': '2.10' };

/** The ids of projects named (each must exist). */
export async function projectIds(admin: OpenStack, names: string[]): Promise<string[]> {
  const token = await admin.session.token();
  const url = (await admin.session.endpoint('identity')).replace(/\/v3\/?$/, '');
  return Promise.all(names.map(async (n) => {
    let status = 0;
    // a busy Keystone has been seen answering a name lookup with an empty list for a moment
    // (here, and in ks-ensure.py): asked again before concluding the project does not exist
    for (let attempt = 0; attempt < 5; attempt++) {
      if (attempt) await sleep(1000 * attempt);
      const res = await fetch(`${url}/v3/projects?name=${encodeURIComponent(n)}`, { headers: { 'X-Auth-Token': token.value, Accept: 'application/json' } });
      status = res.status;
      const id = res.ok ? ((await res.json()) as { projects: { id: string }[] }).projects[0]?.id : undefined;
      if (id) return id;
    }
    throw new Error(`no project ${n} in the local cloud (Keystone answered ${status}, five times)`);
  }));
}

/**
 * Every ACTIVE server whose user_data is a DISCO node bootstrap (of these projects only, when
 * given), but those in `seen`; servers that are no DISCO node are added to `seen`. Measured: a full
 * listing (servers/detail) every 500 ms made Nova ask Neutron for every server's ports and
 * security groups each time, and Neutron became the local cloud's busiest process; the index
 * is cheap, and only servers not yet seen are read in full.
 */
export async function listNodes(admin: OpenStack, projects?: string[], seen: Set<string> = new Set()): Promise<SimNode[]> {
  const get = adminGet(admin);
  const ids = (await serverIds(get, projects, { active: true })).filter((id) => !seen.has(id));
  const details = await Promise.all(ids.map(async (id) => (await get('compute', `/servers/${id}`, NOVA))?.server as Record<string, unknown> | undefined));
  const out: SimNode[] = [];
  for (const s of details) {
    if (!s) continue; // deleted meanwhile
    const script = Buffer.from(String(s['OS-EXT-SRV-ATTR:user_data'] ?? ''), 'base64').toString('utf8');
    const signal = signalOf(script);
    if (!signal) { seen.add(String(s.id)); continue; }
    const drain = drainOf(script);
    out.push({ id: String(s.id), name: String(s.name), status: String(s.status), signal, ...(drain ? { drain } : {}),
      sections: (/^# sections: (.*)$/m.exec(script)?.[1] ?? '').split(' ').filter(Boolean) });
  }
  return out;
}

/** A token for the handle's stack user, as disco_signal gets one before every signal. */
export async function signalToken(s: HeatSignal): Promise<{ status: number; token?: string }> {
  const auth = s.auth_url.replace(/\/+$/, '').replace(/(?<!\/v3)$/, '/v3');
  const res = await fetch(`${auth}/auth/tokens`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { id: s.user_id, password: s.password } } },
      scope: { project: { id: s.project_id } } } }) });
  await res.arrayBuffer();
  return { status: res.status, token: res.headers.get('x-subject-token') ?? undefined };
}

/** Tokens node-sim got, by stack user: a real node logs in for every signal, but node-sim
 * plays hundreds of nodes at once on the local cloud's 2 cores, and one login per node is
 * what its Keystone keeps up with (a refused token is replaced). */
const tokens = new Map<string, string>();

/** One section's signal, as disco_signal in the node script sends it. */
export async function signalSection(node: SimNode, section: string, ok: boolean): Promise<number> {
  let token = tokens.get(node.signal.user_id);
  if (!token) {
    const login = await signalToken(node.signal);
    if (!login.token) return login.status;
    token = login.token;
    if (tokens.size > 10_000) tokens.clear();
    tokens.set(node.signal.user_id, token);
  }
  const body = { status: ok ? 'SUCCESS' : 'FAILURE', id: section, data: section,
    reason: `node=${node.name} framework=${section}: ${ok ? 'installed' : 'simulated failure (node-sim --fail)'}` };
  const res = await fetch(node.signal.alarm_url, { method: 'POST', body: JSON.stringify(body),
    headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json', Accept: 'application/json' } });
  await res.arrayBuffer();
  if (res.status === 401) tokens.delete(node.signal.user_id);
  return res.status;
}

/**
 * Signals the node as its bootstrap would: SUCCESS once per section, or, failing, SUCCESS
 * for bootstrap and FAILURE for the first framework after it.
 */
export async function signalNode(node: SimNode, ok: boolean): Promise<{ status: number; framework: string }> {
  const failAt = ok ? -1 : Math.max(0, node.sections.findIndex((x) => x !== 'bootstrap'));
  const sections = ok ? node.sections : node.sections.slice(0, failAt + 1);
  let status = 200;
  for (const [i, section] of sections.entries()) status = Math.max(status, await signalSection(node, section, i !== failAt));
  return { status, framework: ok ? 'all' : (node.sections[failAt] ?? 'bootstrap') };
}

/** A stack user's token and its Heat endpoint (the catalog's, scoped to the stack's user project). */
async function stackUserLogin(authUrl: string, userId: string, password: string, projectId: string): Promise<{ token: string; heat: string } | undefined> {
  const auth = authUrl.replace(/\/+$/, '').replace(/(?<!\/v3)$/, '/v3');
  const res = await fetch(`${auth}/auth/tokens`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { id: userId, password } } }, scope: { project: { id: projectId } } } }) });
  if (!res.ok) { await res.arrayBuffer(); return undefined; }
  const catalog = ((await res.json()) as { token: { catalog?: { type: string; endpoints: { interface: string; url: string }[] }[] } }).token.catalog ?? [];
  const heat = catalog.find((x) => x.type === 'orchestration')?.endpoints.find((e) => e.interface === 'public')?.url;
  const token = res.headers.get('x-subject-token');
  return token && heat ? { token, heat: heat.replace(/\/+$/, '') } : undefined;
}

const drainLogins = new Map<string, { token: string; heat: string }>();

/**
 * The master's drain agent, played: each drain deployment not yet answered (by id and worker
 * count) gets done, or drain_error when `ok` is false. 'gone' once the stack is (its channel refused).
 */
export async function answerDrain(ch: DrainChannel, answered: Set<string>, ok: boolean): Promise<'gone' | string[]> {
  // one login per channel while its token lasts (node-sim plays many masters on 2 cores)
  const login = drainLogins.get(ch.user_id) ?? await stackUserLogin(ch.auth_url, ch.user_id, ch.password, ch.project_id);
  if (!login) return 'gone';
  drainLogins.set(ch.user_id, login);
  const res = await fetch(`${login.heat}/stacks/${ch.stack_id}/resources/${ch.resource_name}/metadata`, { headers: { 'X-Auth-Token': login.token, Accept: 'application/json' } });
  if (res.status === 401) { await res.arrayBuffer(); drainLogins.delete(ch.user_id); return []; }
  if (res.status === 404 || res.status === 403) { await res.arrayBuffer(); drainLogins.delete(ch.user_id); return 'gone'; }
  if (!res.ok) throw new Error(`Heat answered ${res.status} to the drain channel's metadata`);
  type Dep = { id: string; group?: string; inputs?: { name: string; value?: unknown }[] };
  const deps = (((await res.json()) as { metadata: { deployments?: Dep[] } }).metadata.deployments ?? []).filter((d) => d.group === 'disco-drain');
  const done: string[] = [];
  for (const d of deps) {
    const inp = Object.fromEntries((d.inputs ?? []).map((i) => [i.name, i.value])) as Record<string, string>;
    const key = `${d.id} ${inp.workers}`;
    if (answered.has(key)) continue;
    const dl = await stackUserLogin(inp.deploy_auth_url!, inp.deploy_user_id!, inp.deploy_password!, inp.deploy_project_id!);
    if (!dl) continue;
    const body = ok ? { deploy_status_code: 0, deploy_stdout: 'drained (node-sim)' } : { drain_error: 'simulated drain failure (node-sim --drain-fail)' };
    const sig = await fetch(`${dl.heat}/stacks/${inp.deploy_stack_id}/resources/${inp.deploy_resource_name}/signal`, { method: 'POST',
      body: JSON.stringify(body), headers: { 'X-Auth-Token': dl.token, 'Content-Type': 'application/json', Accept: 'application/json' } });
    await sig.arrayBuffer();
    if (sig.ok || sig.status === 404) { answered.add(key); done.push(`to ${inp.workers} workers: ${ok ? 'done' : 'drain_error'}`); }
  }
  return done;
}
