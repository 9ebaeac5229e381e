// The master's drain agent (the python in templates/node/drain.sh) against a stand-in Keystone and
// Heat speaking what the local cloud's answered (drain.yaml measured there): it reads its
// deployment from drain_agent's metadata with the channel's credentials, runs disco_drain_run
// with the count, signals the deployment with the deployment's own credentials (done, or
// drain_error), never runs one (id, count) twice, not even after a restart, and logs in once
// while its token lasts. CI never runs it on a node (node-sim plays it there).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';

const AGENT = /<<'DISCO_DRAIN_AGENT'\n([\s\S]*?)\nDISCO_DRAIN_AGENT\n/.exec(readFileSync(join(import.meta.dirname, '../../templates/node/drain.sh'), 'utf8'))![1]!;
const dir = mkdtempSync(join(tmpdir(), 'drain-agent-heat-'));
const CH = { user_id: 'u-agent', password: 'pw-agent', project_id: 'p-stack' };
const DEP = { user_id: 'u-deploy', password: 'pw-deploy' };
const state = { logins: { agent: 0, deploy: 0 }, metadataReads: 0, signals: [] as unknown[], deployments: [] as unknown[] };
let base = '';

const body = async (req: IncomingMessage) => { let s = ''; for await (const c of req) s += String(c); return s ? JSON.parse(s) as Record<string, any> : {}; };
const server = createServer((req, res) => void (async () => {
  const send = (code: number, doc: unknown, headers: Record<string, string> = {}) => res.writeHead(code, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(doc));
  const token = req.headers['x-auth-token'];
  if (req.method === 'POST' && req.url === '/v3/auth/tokens') {
    const { auth } = await body(req);
    const u = auth.identity.password.user;
    const who = u.id === CH.user_id && u.password === CH.password ? 'agent' : u.id === DEP.user_id && u.password === DEP.password ? 'deploy' : undefined;
    if (!who || auth.scope.project.id !== CH.project_id) return send(401, { error: { code: 401 } });
    state.logins[who]++;
    return send(201, { token: { catalog: [{ type: 'orchestration', endpoints: [{ interface: 'internal', url: 'http://192.0.2.1/nowhere' }, { interface: 'public', url: `${base}/heat/${CH.project_id}` }] }] } },
      { 'X-Subject-Token': `T-${who}` });
  }
  if (req.method === 'GET' && req.url === `/heat/${CH.project_id}/stacks/disco-c1/s1/resources/drain_agent/metadata`) {
    if (token !== 'T-agent') return send(403, {});
    state.metadataReads++;
    return send(200, { metadata: { deployments: state.deployments, 'os-collect-config': {} } });
  }
  if (req.method === 'POST' && req.url === `/heat/${CH.project_id}/stacks/disco-c1/s1/resources/drain/signal`) {
    if (token !== 'T-deploy') return send(403, {});
    state.signals.push(await body(req));
    return send(200, null);
  }
  send(404, {});
})());

/** A drain deployment as Heat puts it in the metadata (inputs as measured on the local cloud). */
const deployment = (id: string, workers: number, group = 'disco-drain') => ({ id, group, name: 'c1-drain_config-x', config: '', inputs: [
  { name: 'workers', type: 'Number', value: workers }, { name: 'deploy_action', value: 'UPDATE' },
  { name: 'deploy_stack_id', value: 'disco-c1/s1' }, { name: 'deploy_resource_name', value: 'drain' }, { name: 'deploy_signal_transport', value: 'HEAT_SIGNAL' },
  { name: 'deploy_auth_url', value: `${base}/v3/` }, { name: 'deploy_user_id', value: DEP.user_id }, { name: 'deploy_password', value: DEP.password },
  { name: 'deploy_project_id', value: CH.project_id },
] });

let agent: ChildProcess | undefined;
const start = () => {
  agent = spawn('python3', ['-c', AGENT], { env: { PATH: process.env.PATH, DISCO_DRAIN_DIR: dir, DISCO_DRAIN_AGENT_POLL: '0.05' }, stdio: 'ignore' });
};
const stop = async () => { if (agent && agent.exitCode === null) { agent.kill(); await new Promise((r) => agent!.once('exit', r)); } };
async function until(what: string, ok: () => boolean): Promise<void> {
  for (const end = Date.now() + 15_000; !ok(); await sleep(20)) assert.ok(Date.now() < end, `gave up waiting: ${what}`);
}
const runs = () => readFileSync(join(dir, 'runs'), 'utf8').trim().split('\n').filter(Boolean);

before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(join(dir, 'channel.json'), JSON.stringify({ collectors: ['heat'], heat: { ...CH, auth_url: `${base}/v3/`, stack_id: 'disco-c1/s1', resource_name: 'drain_agent' } }));
  // what the agent sources: a stand-in disco_drain_run (a count of 1 cannot be drained)
  writeFileSync(join(dir, 'hooks.sh'), `disco_drain_run() { echo "$1" >>"${dir}/runs"; echo "some progress"
    if [ "$1" = 1 ]; then echo "the drain of c1-worker-1 did not end within 60 s"; return 1; fi; echo "drained: c1-worker-2"; }\n`);
  writeFileSync(join(dir, 'runs'), '');
});
after(async () => { await stop(); server.close(); });

test('a new count: drained, signalled done with the deployment\'s credentials, once; a failed drain signals drain_error; a restart runs nothing again', async () => {
  state.deployments = [deployment('d9', 0, 'other-group')];
  start();
  await until('the agent reads the metadata', () => state.metadataReads >= 2);
  assert.deepEqual(runs(), [], 'a deployment of another group is not the agent\'s');

  state.deployments = [deployment('d1', 2)];
  await until('a signal', () => state.signals.length === 1);
  assert.deepEqual(state.signals[0], { deploy_status_code: 0, deploy_stdout: 'drained: c1-worker-2' });
  const reads = state.metadataReads;
  await until('three more reads', () => state.metadataReads >= reads + 3);
  assert.deepEqual(runs(), ['2'], 'the same deployment and count is drained once');

  state.deployments = [deployment('d1', 1)];
  await until('a second signal', () => state.signals.length === 2);
  assert.deepEqual(state.signals[1], { drain_error: 'the drain of c1-worker-1 did not end within 60 s' });
  assert.deepEqual(runs(), ['2', '1']);
  assert.equal(state.logins.agent, 1, 'one login for every read while the token lasts');
  assert.equal(state.logins.deploy, 2);

  await stop();
  start();
  const again = state.metadataReads;
  await until('the restarted agent reads', () => state.metadataReads >= again + 3);
  assert.deepEqual(runs(), ['2', '1'], 'what was signalled is in the done file');
  assert.equal(state.signals.length, 2);
  assert.equal(readFileSync(join(dir, 'done'), 'utf8'), 'd1 2\nd1 1\n');
});
