// The `disco` command against the real service and the local cloud (node-sim plays the nodes):
// a disposabledisco-style cluster file through create, wait, show, suspend, resume, scale and
// delete --wait, with events --follow beside it; --os-cloud with a clouds.yaml;
// a wait on a failing cluster and one that times out, each with its own exit code; every API
// error as one line and a non-zero exit; the token kept between commands (and renewed when
// revoked); the bin itself, as `npx disco` runs it.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/main.js';
import { OpenStackHttp } from '../../src/openstack/index.js';
import { osEnv, sh } from '../helpers/cli.js';
import { cloud, cloudEnv, userOf, type Who } from '../helpers/cloud.js';
import { emptyLane } from '../helpers/heat.js';
import { startNodeSim, type RunningSim } from '../helpers/node-sim.js';
import { inProcess, ROOT } from '../helpers/service.js';

const LANE = 'cli';
const FAILING = `clifail-${process.pid}`;
const { service } = inProcess({ SM_CHANGES_POLL_MS: '300' });
let url = '';
let close = () => undefined as void;
let sim: RunningSim;

before(async () => {
  await emptyLane(cloud(LANE).heat);
  sim = await startNodeSim(['--project', LANE, '--fail', `${FAILING}-*`]);
  await service.startWorker();
  const server = service.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => { server.closeAllConnections(); server.close(); };
});
after(async () => { close(); await sim.stop(); await service.close(); });

/** `disco ARGS` as `who` (null: no OS_* variable at all, only DISCO_URL and `env`). */
async function disco(args: string[], who: Who | null = LANE, env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const os = who ? osEnv(who, url) : { DISCO_URL: url };
  const code = await run(args, { out: (s) => { out += s; }, err: (s) => { err += s; }, env: { HOME: tmpdir(), ...os, ...env }, tty: true });
  return { code, out, err };
}

// the README's transcript first and alone (it lists the project's clusters, and they must be its
// own), then the rest side by side: two clusters building at once take the time of the longer
describe('the disco command', { concurrency: 1 }, () => {
  it("the README's cluster file and session transcript, as written", { timeout: 1_200_000 }, async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const file = /<!-- cli-file:start -->\n```yaml\n([\s\S]*?)```\n<!-- cli-file:end -->/.exec(readme);
    const transcript = /<!-- cli-transcript:start -->\n```console\n([\s\S]*?)```\n<!-- cli-transcript:end -->/.exec(readme);
    assert.ok(file && transcript, 'the README has the cluster file and the transcript');
    mkdirSync(join(ROOT, 'var'), { recursive: true });
    writeFileSync(join(ROOT, 'var/my-cluster.yaml'), file[1]!);
    // each "$ command" and the lines after it, up to the next one
    const steps = transcript[1]!.split(/^\$ /m).filter(Boolean).map((b) => { const [cmd, ...out] = b.trimEnd().split('\n'); return { cmd: cmd!, out }; });
    assert.ok(steps.length >= 5);
    for (const { cmd, out } of steps) {
      const r = await sh('bash', ['-c', cmd], { cwd: ROOT, timeoutMs: 480_000, env: { ...process.env, ...osEnv(LANE, url) } });
      const got = `${r.stdout}${r.stderr}`.trimEnd().split('\n');
      const refused = out[0]?.startsWith('disco: ') === true;
      assert.equal(r.status === 0, !refused, `${cmd}: exit ${r.status}\n${r.stdout}${r.stderr}`);
      const pattern = (line: string) => new RegExp(`^${line.split(/<[^>]+>/).map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\S+')}$`);
      assert.equal(got.length, out.length, `${cmd}: got\n${got.join('\n')}`);
      out.forEach((line, i) => assert.match(got[i]!, pattern(line), cmd));
    }
  });

  describe('beside each other', { concurrency: true }, () => {
    it('a disposabledisco-style file: create, wait, show -o json, suspend, resume, scale 2, delete --wait --yes; events --follow meanwhile', { timeout: 1_200_000 }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cli-'));
      const file = join(dir, 'cluster.yaml');
      writeFileSync(file, [
        `name: cli-${process.pid}`, 'workers: 1', 'lifetime: 86400', 'frameworks: [hadoop]',
        'packages: [htop, jq]', 'pip: [six]', 'post_init: |', '  echo "$DISCO_ROLE" > /root/role', 'master_multiplier: 0', 'worker_multiplier: 2',
        'properties:', '  hadoop: {replication: 1}', '',
      ].join('\n'));
      const created = await disco(['create', '-f', file, '-o', 'value', '-c', 'id']);
      assert.equal(created.code, 0, created.err);
      const id = created.out.trim();
      assert.match(id, /^[0-9a-f-]{36}$/);
      // beside the rest: the cluster's events as they come, until it is gone
      const follow = disco(['events', id, '--follow', '-o', 'value', '-c', 'what']);
      const waited = await disco(['wait', id, '--for', 'ready', '--timeout', '900']);
      assert.equal(waited.code, 0, waited.err);
      assert.match(waited.err, /ready/, 'progress told on a terminal');
      const shown = JSON.parse((await disco(['show', `cli-${process.pid}`, '-o', 'json'])).out) as Record<string, unknown>;
      assert.equal(shown.state, 'ready');
      assert.equal(shown.workers, 1);
      assert.equal(shown.lifetime, 86400);
      assert.deepEqual(shown.frameworks, ['hadoop']);
      const props = shown.properties as Record<string, Record<string, unknown>>;
      assert.equal(props.bootstrap?.packages, 'htop,jq');
      assert.equal(props.bootstrap?.pip, 'six');
      assert.equal(props.bootstrap?.worker_multiplier, 2);
      assert.equal(props.hadoop?.replication, 1);
      assert.ok(!JSON.stringify(shown).includes('PRIVATE KEY'), 'no private key in show');
      const suspended = await disco(['suspend', id, '--wait', '--timeout', '900', '-o', 'value', '-c', 'state']);
      assert.equal(suspended.code, 0, suspended.err);
      assert.equal(suspended.out, 'suspended\n');
      const resumed = await disco(['resume', `cli-${process.pid}`, '--wait', '--timeout', '900', '-o', 'value', '-c', 'state']);
      assert.equal(resumed.code, 0, resumed.err);
      assert.equal(resumed.out, 'ready\n');
      const scaled = await disco(['scale', id, '2', '--wait', '--timeout', '900', '-o', 'value', '-c', 'workers', '-c', 'state']);
      assert.equal(scaled.code, 0, scaled.err);
      assert.equal(scaled.out, '2\nready\n');
      const listed = await disco(['list', '-o', 'value', '-c', 'name']);
      assert.ok(listed.out.split('\n').includes(`cli-${process.pid}`));
      const refused = await disco(['delete', id]);
      assert.equal(refused.code, 2, 'delete asks for --yes');
      const deleted = await disco(['delete', id, '--yes', '--wait', '--timeout', '300']);
      assert.equal(deleted.code, 0, deleted.err);
      assert.match(deleted.out, /is deleted/);
      const followed = await follow;
      assert.equal(followed.code, 0, followed.err);
      const states = followed.out.split('\n').filter((l) => /^[a-z]+( \(|:|$)/.test(l)).map((l) => l.split(/[ :]/)[0]);
      // create, suspend, resume, scale, delete: in this order (a state between is allowed)
      const want = ['pending', 'ready', 'updating', 'suspended', 'updating', 'ready', 'updating', 'ready', 'deleting'];
      assert.equal(want.reduce((i, x) => (i < 0 ? i : states.indexOf(x, i) + 1 || -1), 0) > 0, true, `${want.join(', ')} in order in: ${states.join(', ')}`);
      assert.ok(!(await cloud(LANE).heat.listStacks()).some((s) => s.name === `disco-${id}` && s.status !== 'DELETE_COMPLETE'), 'the stack is gone');
    });

    it('wait: a wait that times out exits 3, a failed cluster exits 4 with its reason', { timeout: 1_200_000 }, async () => {
      const failing = await disco(['create', '-n', FAILING, '-w', '1', '-o', 'value', '-c', 'id']);
      assert.equal(failing.code, 0, failing.err);
      const id = failing.out.trim();
      // just created, it is still building: one second is not enough
      const t = await disco(['wait', id, '--timeout', '1']);
      assert.equal(t.code, 3, t.err);
      assert.match(t.err, /^disco: timed out: still \w+ after 1 s/m);
      const w = await disco(['wait', id, '--timeout', '900']);
      assert.equal(w.code, 4, w.err);
      assert.match(w.err, /^disco: the cluster failed: BOOTSTRAP_FAILED: .*simulated failure/m);
      // the failed cluster goes too: nothing left in the lane
      assert.equal((await disco(['delete', id, '--yes', '--wait', '--timeout', '300'])).code, 0);
    });

    it('every API error is one line and a non-zero exit: 401, 403, 404, 400 naming the attribute; usage is 2', { timeout: 120_000 }, async () => {
      const cases: [string[], Who, Record<string, string>, number, RegExp][] = [
        [['list'], LANE, { OS_PASSWORD: 'wrong' }, 1, /^disco: 401 Keystone at .* did not give a token/],
        [['create', '-n', 'x'], 'dashboard-reader', {}, 1, /^disco: 403 disco:create needs one of the roles member, admin in the project; your roles: reader/],
        [['show', '00000000-0000-4000-8000-000000000000'], LANE, {}, 1, /^disco: 404 no cluster 00000000-0000-4000-8000-000000000000/],
        [['show', 'no-such-name'], LANE, {}, 1, /^disco: 404 no cluster named "no-such-name"/],
        [['plan', '-n', 'x', '--framework', 'disco', '-w', '0'], LANE, {}, 1, /^disco: 400 icclab\.disco\.components\.disco\.replicas: DDFS/],
        [['create', '-w', 'many'], LANE, {}, 2, /^disco: --workers: a whole number, got "many"/],
        // checked before anything is sent (the cluster named does not even exist)
        [['suspend', 'no-such-name', '--wait', '--timeout', 'soon'], LANE, {}, 2, /^disco: --timeout: a whole number, got "soon"/],
        [['frobnicate'], LANE, {}, 2, /unknown command 'frobnicate'/],
        [['list'], LANE, { OS_AUTH_URL: '' }, 2, /^disco: no credentials: set OS_AUTH_URL/],
      ];
      for (const [args, who, env, code, message] of cases) {
        const r = await disco(args, who, env);
        assert.equal(r.code, code, `${args.join(' ')}: ${r.err}`);
        assert.match(r.err, message, args.join(' '));
        if (code === 1) assert.equal(r.err.trim().split('\n').length, 1, `one line: ${r.err}`);
      }
    });

    it('--os-cloud: the credentials of a clouds.yaml cloud reach the real Keystone; a wrong password there is a 401', { timeout: 120_000 }, async () => {
      const [user, password, project] = userOf(LANE);
      const home = mkdtempSync(join(tmpdir(), 'cli-home-'));
      mkdirSync(join(home, '.config/openstack'), { recursive: true });
      const cloudsYaml = (pw: string) => writeFileSync(join(home, '.config/openstack/clouds.yaml'), [
        'clouds:', '  lab:', '    auth:', `      auth_url: ${cloudEnv().OS_AUTH_URL}`, `      username: ${user}`, `      password: "${pw}"`,
        `      project_name: ${project}`, '      user_domain_name: Default', '      project_domain_name: Default', ''].join('\n'));
      // no OS_* variable at all: everything comes from the file
      const run1 = (args: string[]) => disco(args, null, { HOME: home });
      cloudsYaml(password);
      const listed = await run1(['--os-cloud', 'lab', 'list', '-o', 'json']);
      assert.equal(listed.code, 0, listed.err);
      assert.ok(Array.isArray(JSON.parse(listed.out)));
      cloudsYaml('wrong');
      const refused = await run1(['--os-cloud', 'lab', 'list']);
      assert.equal(refused.code, 1);
      assert.match(refused.err, /^disco: 401 Keystone at .* did not give a token/);
    });

    it('the token is kept per cloud and user in a 0600 file, reused by the next command, and renewed when Keystone revoked it', { timeout: 120_000 }, async () => {
      const home = mkdtempSync(join(tmpdir(), 'cli-home-'));
      const file = join(home, '.cache/disco/tokens.json');
      const kept = () => Object.values(JSON.parse(readFileSync(file, 'utf8')) as Record<string, { token: string }>).map((e) => e.token);
      // plan: a POST (the dry run), which the service checks with Keystone every time, never from its cache
      const plan = ['plan', '--name', `cli-token-${process.pid}`, '--workers', '1', '-o', 'json'];
      const made = await disco(plan, LANE, { HOME: home });
      assert.equal(made.code, 0, made.err);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.ok(!readFileSync(file, 'utf8').includes(userOf(LANE)[1]), 'no password in it');
      const [first] = kept();
      assert.ok(first && kept().length === 1);
      const again = await disco(plan, LANE, { HOME: home });
      assert.equal(again.code, 0, again.err);
      assert.deepEqual(kept(), [first], 'reused: no new login');
      // revoked by its user (DELETE /v3/auth/tokens): the service refuses it, the CLI logs in again once
      await new OpenStackHttp({ retries: 2 }).call({ service: 'keystone', operation: 'test.revoke', method: 'DELETE',
        url: `${cloudEnv().OS_AUTH_URL.replace(/\/+$/, '')}/auth/tokens`, token: first, headers: { 'x-subject-token': first } });
      const renewed = await disco(plan, LANE, { HOME: home });
      assert.equal(renewed.code, 0, renewed.err);
      assert.equal(kept().length, 1);
      assert.notEqual(kept()[0], first, 'a new token, kept in place of the revoked one');
    });

    it('the bin as npx runs it: disco frameworks, disco config init', { timeout: 120_000 }, async () => {
      const npx = (args: string[]) => sh('npx', ['--no-install', 'disco', ...args], { cwd: ROOT, timeoutMs: 60_000, env: { ...process.env, DISCO_URL: url } });
      const f = await npx(['frameworks', '-o', 'value', '-c', 'name']);
      assert.equal(f.status, 0, f.stderr);
      assert.deepEqual(f.stdout.trim().split('\n').sort(), ['bootstrap', 'disco', 'hadoop', 'jupyter', 'spark', 'zeppelin']);
      const init = await npx(['config', 'init']);
      assert.equal(init.status, 0, init.stderr);
      assert.match(init.stdout, /^# worker_flavor: "m1\.tiny"$/m, "the service's defaults");
      assert.match(init.stdout, /^#     replication: .*# dfs\.replication/m);
    });
  });
});
