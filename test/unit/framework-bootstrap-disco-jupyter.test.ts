// The install scripts of bootstrap, disco and jupyter, run for real with bash: every script
// parses (alone, and pasted into a section's function body as the renderer does), lib.sh files
// only define functions, and the values they compute (Disco slots, node table, settings.py,
// Jupyter's config, the /etc/hosts block) are the ones worked out by hand below.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FrameworkCatalog } from '../../src/frameworks/catalog.js';
import { libFiles } from '../../src/frameworks/manifest.js';
import { bashRunner } from '../helpers/bash-run.js';
import { sourceLibs } from '../helpers/framework-libs.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FRAMEWORKS = ['bootstrap', 'disco', 'jupyter'] as const;
const tmp = mkdtempSync(join(tmpdir(), 'fw-bdj-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const { sh, ok } = bashRunner(tmp);
const lib = (fw: string) => sourceLibs(fw);
const scripts = (fw: string) => readdirSync(join(ROOT, 'frameworks', fw)).filter((f) => f.endsWith('.sh')).sort();

test('every script starts #!/bin/bash and parses, alone and pasted into a section function as the renderer does', () => {
  const catalog = FrameworkCatalog.load();
  for (const fw of FRAMEWORKS) {
    const m = catalog.get(fw);
    assert.ok(m, fw);
    assert.ok(libFiles(m).length, `${fw} has a lib`);
    for (const s of scripts(fw)) {
      assert.match(readFileSync(join(ROOT, 'frameworks', fw, s), 'utf8'), /^#!\/bin\/bash\n/, `${fw}/${s}`);
      ok(`bash -n frameworks/${fw}/${s}`);
    }
    const body = (f: string | undefined) => (f ? readFileSync(join(ROOT, 'frameworks', fw, f), 'utf8').replace(/^#!.*\n/, '') : '');
    for (const role of ['master', 'worker'] as const) {
      const fn = `${libFiles(m).map(body).join('\n')}\nsection() {\n${body(m.scripts.all)}\n${body(m.scripts[role])}\n:\n}\npost() {\n${body(m.scripts.post)}\n:\n}\n`;
      writeFileSync(join(tmp, `${fw}-${role}.sh`), fn);
      ok(`bash -n ${join(tmp, `${fw}-${role}.sh`)}`);
    }
  }
  assert.deepEqual(catalog.get('bootstrap')!.scripts, { lib: ['lib.sh', 'gateway.sh'], all: 'all.sh', master: 'master.sh', post: 'post.sh' });
  assert.deepEqual(catalog.get('disco')!.scripts, { lib: ['lib.sh', 'membership.sh', 'units.sh'], all: 'all.sh', master: 'master.sh', worker: 'worker.sh' });
  assert.deepEqual(catalog.get('jupyter')!.scripts, { lib: 'lib.sh', master: 'master.sh' }, 'workers get no JupyterLab');
  assert.deepEqual(catalog.get('disco')!.generate, [{ name: 'cookie', bytes: 24 }, { name: 'ssh_key', type: 'ssh_key' }]);
  assert.deepEqual(catalog.get('jupyter')!.generate, [{ name: 'token', bytes: 24, unless: 'password', show_to_owner: true }]);
});

test('lib.sh files only define functions, each with its framework prefix: sourcing sets no variable and prints nothing', () => {
  const prefix = { bootstrap: /^disco_/, disco: /^discomr_/, jupyter: /^jupyter_/ };
  for (const fw of FRAMEWORKS) {
    const cwd = mkdtempSync(join(tmp, 'src-'));
    const out = ok(`cd ${cwd}; before=$(compgen -v | sort); ${sourceLibs(fw)}; ` +
      'after=$(compgen -v | sort); diff <(echo "$before") <(echo "$after") | grep "^>" | grep -v -e "^> _$" -e "^> before$" || true; echo "--"; declare -F | cut -d" " -f3');
    const [vars, fns] = out.split('--\n');
    assert.equal(vars, '', `${fw}/lib.sh sets variables: ${vars}`);
    const names = (fns ?? '').trim().split('\n');
    assert.ok(names.length >= 2, `${fw}: ${names.join(',')}`);
    for (const n of names) assert.match(n, prefix[fw], `${fw}/lib.sh defines ${n}`);
    assert.deepEqual(readdirSync(cwd), [], `sourcing ${fw}/lib.sh wrote files`);
  }
});

test('discomr_slots: floor(cores x multiplier), at least 1, fractional multipliers through awk', () => {
  const cases: [string, string, string][] = [
    ['1', '1', '1'],     // 1 x 1 = 1
    ['4', '1', '4'],     // 4 x 1 = 4
    ['4', '1.5', '6'],   // 4 x 1.5 = 6
    ['3', '0.5', '1'],   // 3 x 0.5 = 1.5, floor 1
    ['1', '0', '1'],     // 1 x 0 = 0, raised to 1: a worker in the table must take tasks
    ['8', '0.1', '1'],   // 8 x 0.1 = 0.8, floor 0, raised to 1
    ['16', '2', '32'],   // 16 x 2 = 32
    ['100', '0.29', '29'], // 100 x 0.29 = 29 (28.999999999999996 in floating point: must not floor to 28)
    ['6', '1.25', '7'],  // 6 x 1.25 = 7.5, floor 7
  ];
  for (const [cores, m, want] of cases) assert.equal(ok(`${lib('disco')}; discomr_slots ${cores} ${m}`).trim(), want, `${cores} x ${m}`);
  for (const bad of ['"" 1', '4 x', '-1 1', '4 1,5', '2.5 1']) {
    const r = sh(`${lib('disco')}; discomr_slots ${bad}`);
    assert.notEqual(r.status, 0, `discomr_slots ${bad} must fail`);
    assert.match(r.stderr, /discomr_slots: /);
  }
});

test('discomr_config_table: one row per worker, slots as strings, names Disco cannot misread refused', () => {
  const out = ok(`${lib('disco')}; discomr_config_table c-worker-0,c-worker-1 4`).trim();
  assert.equal(out, '[["c-worker-0","4"],["c-worker-1","4"]]');
  const table = JSON.parse(out) as unknown[][];
  assert.deepEqual(table, [['c-worker-0', '4'], ['c-worker-1', '4']]);
  for (const row of table) for (const cell of row) assert.equal(typeof cell, 'string', 'save_config_table wants [string, string] rows');
  // Disco reads "a:b" as a range; a quote would break the JSON; 0 slots is no worker
  for (const bad of ['"c-worker[0-1]" 4', 'c-worker-0:3 4', "'a\"b' 4", '"" 4', 'c-worker-0 0', 'c-worker-0 four']) {
    assert.notEqual(sh(`${lib('disco')}; discomr_config_table ${bad}`).status, 0, `discomr_config_table ${bad} must fail`);
  }
});

test('discomr_master_unit: the master as disco under systemd, restarted on failure, at boot; stale pid files go first', () => {
  const dir = mkdtempSync(join(tmp, 'units-'));
  ok(`${lib('disco')}; discomr_master_unit ${dir} /home/disco`);
  const unit = readFileSync(join(dir, 'discomr-master.service'), 'utf8');
  for (const line of ['User=disco', 'WorkingDirectory=/home/disco', 'Environment=HOME=/home/disco USER=disco LOGNAME=disco',
    'ExecStartPre=/usr/local/sbin/discomr-clean-pids /var/lib/disco/discomr/run', 'ExecStart=/usr/bin/disco nodaemon', 'Restart=on-failure', 'WantedBy=multi-user.target']) {
    assert.ok(unit.split('\n').includes(line), `${line} in\n${unit}`);
  }
  assert.notEqual(sh(`${lib('disco')}; discomr_master_unit ${dir} 'home disco'`).status, 0);
  // a pid file naming a process that is not an Erlang VM (this shell) or none is removed
  const run = mkdtempSync(join(tmp, 'run-'));
  writeFileSync(join(run, 'script'), ok(`${lib('disco')}; discomr_clean_pids_script`));
  const left = ok(`echo $$ > ${run}/mine.pid; echo 999999999 > ${run}/gone.pid; echo kept > ${run}/notes; sh ${run}/script ${run}; ls ${run}`);
  assert.deepEqual(left.trim().split('\n'), ['notes', 'script']);
});

test('discomr_venv_pth: the user\'s venv on the system python3\'s path (Disco jobs run that one); none, no file', () => {
  const venv = mkdtempSync(join(tmp, 'venv-'));
  const site = mkdtempSync(join(tmp, 'site-'));
  ok(`python3 -m venv --without-pip ${venv}`);
  ok(`${lib('disco')}; discomr_venv_pth ${venv} ${site}`);
  const pth = readFileSync(join(site, 'disco-user-packages.pth'), 'utf8').trim();
  assert.match(pth, new RegExp(`^${venv}/lib/python3\\.\\d+/site-packages$`));
  // what a .pth line does: the system python3 started with SITE as a site dir imports from the venv
  mkdirSync(pth, { recursive: true });
  writeFileSync(join(pth, 'userpkg_probe.py'), 'X = 42\n');
  assert.equal(ok(`python3 -c 'import site, sys; site.addsitedir(sys.argv[1]); import userpkg_probe; print(userpkg_probe.X)' ${site}`).trim(), '42');
  ok(`${lib('disco')}; discomr_venv_pth ${join(tmp, 'no-venv')} ${site}`);
  assert.deepEqual(readdirSync(site), []);
});

const pySettings = 'import json, sys\ng = {}\nexec(open(sys.argv[1]).read(), g)\nprint(json.dumps({k: v for k, v in g.items() if k.isupper()}))';

test('discomr_write_settings: a Python settings.py, the same on every node, replicas and the Erlang port range', () => {
  const env = { DISCO_DISCO_REPLICAS: '2', DISCO_MASTER_NAME: 'c-master' };
  const a = join(tmp, 'settings-a.py');
  const b = join(tmp, 'settings-b.py');
  ok(`${lib('disco')}; discomr_write_settings ${a}`, { ...env, DISCO_NODE: 'c-master', DISCO_ROLE: 'master' });
  ok(`${lib('disco')}; discomr_write_settings ${b}`, { ...env, DISCO_NODE: 'c-worker-1', DISCO_ROLE: 'worker' });
  assert.equal(readFileSync(a, 'utf8'), readFileSync(b, 'utf8'), 'identical on master and worker');
  assert.equal(statSync(a).mode & 0o777, 0o644);
  const s = JSON.parse(ok(`python3 -c '${pySettings}' ${a}`)) as Record<string, unknown>;
  assert.equal(s.DDFS_TAG_MIN_REPLICAS, 2);
  assert.equal(s.DDFS_TAG_REPLICAS, 2);
  assert.equal(s.DDFS_BLOB_REPLICAS, 2);
  assert.equal(s.DISCO_PORT, 8989);
  assert.equal(s.DDFS_PUT_PORT, 8990);
  assert.equal(s.DISCO_ERLANG, 'erl -kernel inet_dist_listen_min 30000 -kernel inet_dist_listen_max 30010');
  assert.equal(s.DISCO_ROOT, '/var/lib/disco/discomr');
  assert.equal(s.DISCO_DATA, '/var/lib/disco/discomr/data');
  assert.equal(s.DDFS_DATA, '/var/lib/disco/discomr/ddfs');
  assert.equal(s.DISCO_WORKER_MAX_MEM, '80%');
  assert.equal(s.DISCO_MASTER_HOST, 'c-master');
  assert.equal(s.DISCO_USER, 'disco');
  assert.equal(s.DISCO_HOME, '/usr/lib/disco');
  assert.equal(s.SYSTEMD_ENABLED, true, 'disco nodaemon runs erl without a shell');
  for (const bad of [{ DISCO_MASTER_NAME: 'c-master' }, { ...env, DISCO_DISCO_REPLICAS: '0' }, { ...env, DISCO_MASTER_NAME: 'x"; import os' }]) {
    assert.notEqual(sh(`${lib('disco')}; discomr_write_settings ${join(tmp, 'bad.py')}`, bad).status, 0, JSON.stringify(bad));
  }
});

test('discomr_unconnected reads GET /disco/ctrl/nodeinfo (an object by host name) and names the workers not connected', () => {
  const info = JSON.stringify({
    'c-worker-0': { job_ok: 0, data_error: 0, error: 0, max_workers: 4, connected: true, blacklisted: false, diskfree: 1, diskused: 0 },
    'c-worker-1': { job_ok: 0, data_error: 0, error: 0, max_workers: 4, connected: false, blacklisted: false },
  });
  assert.equal(ok(`${lib('disco')}; discomr_unconnected c-worker-0 c-worker-1 c-worker-2`, {}, info), 'c-worker-1\nc-worker-2\n');
  assert.equal(ok(`${lib('disco')}; discomr_unconnected c-worker-0`, {}, info), '');
});

const pyJupyter = `import json, sys
class NS(dict):
    def __getattr__(self, k): return self.setdefault(k, NS())
    def __setattr__(self, k, v): self[k] = v
c = NS()
exec(open(sys.argv[1]).read(), {'get_config': lambda: c})
print(json.dumps(c))`;
const jupyterConfig = (file: string) => JSON.parse(ok(`python3 -c "${pyJupyter.replace(/"/g, '\\"')}" ${file}`)) as Record<string, Record<string, unknown>>;

test('jupyter_write_config: token or hashed password, 0.0.0.0:8888, never a * origin, mode 0600', () => {
  const token = 'a1b2c3d4e5f60718293a4b5c6d7e8f901a2b3c4d5e6f7081';
  const t = join(tmp, 'token.py');
  ok(`${lib('jupyter')}; jupyter_write_config ${t} token ${token}`);
  assert.equal(statSync(t).mode & 0o777, 0o600);
  assert.ok(!readFileSync(t, 'utf8').includes('*'), 'no * anywhere');
  const ct = jupyterConfig(t);
  assert.equal(ct.ServerApp!.ip, '0.0.0.0');
  assert.equal(ct.ServerApp!.port, 8888);
  assert.equal(ct.ServerApp!.allow_origin, '');
  assert.equal(ct.IdentityProvider!.token, token);
  assert.equal(ct.PasswordIdentityProvider, undefined);

  // a real argon2 hash's shape (jupyter_server.auth.passwd): $, =, commas, + and / in base64
  const hash = 'argon2:$argon2id$v=19$m=10240,t=10,p=8$gh6AHv91+2DFGNwLsUCBxQ$qF3oNab03sCxiGBYcKRkog';
  const p = join(tmp, 'password.py');
  ok(`${lib('jupyter')}; jupyter_write_config ${p} password '${hash}'`);
  assert.equal(statSync(p).mode & 0o777, 0o600);
  assert.ok(!readFileSync(p, 'utf8').includes('*'));
  const cp = jupyterConfig(p);
  assert.equal(cp.PasswordIdentityProvider!.hashed_password, hash);
  assert.equal(cp.PasswordIdentityProvider!.password_required, true);
  assert.equal(cp.IdentityProvider!.token, '', 'token login off with a password');
  assert.equal(cp.ServerApp!.ip, '0.0.0.0');
  assert.equal(cp.ServerApp!.allow_origin, '');

  // never without auth, and nothing that could break out of the Python string
  for (const bad of ['', 'token ""', 'token short', 'password ""', `password "sha1:a'b"`, 'password "sha1:a\\\\b"', 'none x']) {
    const r = sh(`${lib('jupyter')}; jupyter_write_config ${join(tmp, 'bad.py')} ${bad}`);
    assert.notEqual(r.status, 0, `jupyter_write_config ${bad} must fail`);
  }
});

test('jupyter_hash_password hands the password to passwd() on stdin, its final newline removed', () => {
  // a stand-in jupyter_server.auth.passwd that shows what it was given
  const fake = join(tmp, 'fake-py');
  mkdirSync(join(fake, 'jupyter_server', 'auth'), { recursive: true });
  writeFileSync(join(fake, 'jupyter_server', '__init__.py'), '');
  writeFileSync(join(fake, 'jupyter_server', 'auth', '__init__.py'),
    'import sys\ndef passwd(p, algorithm):\n    assert p not in " ".join(sys.argv)\n    return algorithm + ":" + p.encode().hex()\n');
  const pw = 'pa ss$w0rd';
  const out = ok(`${lib('jupyter')}; printf '%s' '${pw}' | jupyter_hash_password python3`, { PYTHONPATH: fake }).trim();
  assert.equal(out, `argon2:${Buffer.from(pw).toString('hex')}`);
  assert.equal(ok(`${lib('jupyter')}; jupyter_hash_password python3`, { PYTHONPATH: fake }, `${pw}\n`).trim(), out);
  assert.notEqual(sh(`${lib('jupyter')}; jupyter_hash_password python3 </dev/null`, { PYTHONPATH: fake }).status, 0, 'empty password');
});

test('disco_hosts_write: one managed block, replaced on a re-run, other lines kept', () => {
  const hosts = join(tmp, 'hosts');
  writeFileSync(hosts, '127.0.0.1 localhost\n::1 localhost ip6-localhost\n10.9.9.9 elsewhere\n');
  const block1 = '10.0.0.4 c-master\n10.0.0.5 c-worker-0\n10.0.0.6 c-worker-1';
  ok(`${lib('bootstrap')}; disco_hosts_write ${hosts}; disco_hosts_write ${hosts} <<<"$B"`, { B: block1 }, block1);
  const once = readFileSync(hosts, 'utf8');
  assert.equal(once.split('# BEGIN disco-cluster').length - 1, 1, once);
  assert.equal(once.split('# END disco-cluster').length - 1, 1, once);
  assert.equal(once.split('10.0.0.5 c-worker-0').length - 1, 1, once);
  for (const l of ['127.0.0.1 localhost', '::1 localhost ip6-localhost', '10.9.9.9 elsewhere']) assert.ok(once.includes(`${l}\n`), l);
  writeFileSync(hosts, `${once}192.168.1.1 added-later\n`);
  ok(`${lib('bootstrap')}; disco_hosts_write ${hosts}`, {}, '10.0.0.4 c-master\n10.0.0.7 c-worker-2\n');
  const twice = readFileSync(hosts, 'utf8');
  assert.equal(twice.split('# BEGIN disco-cluster').length - 1, 1, twice);
  assert.ok(!twice.includes('c-worker-0'), 'the old block is gone');
  assert.ok(twice.includes('10.0.0.7 c-worker-2\n# END disco-cluster\n'), twice);
  for (const l of ['127.0.0.1 localhost', '10.9.9.9 elsewhere', '192.168.1.1 added-later']) assert.ok(twice.includes(`${l}\n`), l);
  assert.deepEqual(readdirSync(tmp).filter((f) => f.startsWith('hosts.disco.')), [], 'no temp file left');
});

test('disco_hosts_push: ships disco_hosts_write and the block to one host, in one SSH call that runs bash -s', () => {
  const block = '10.0.0.4 c-master\n10.0.0.5 c-worker-0';
  const calls = join(tmp, 'push-calls');
  const shipped = ok(`${lib('bootstrap')}; disco_ssh() { echo "$*" >>${calls}; cat; }; disco_hosts_push 10.0.0.5 "$B"`, { B: block });
  assert.equal(readFileSync(calls, 'utf8'), '10.0.0.5 bash -s\n');
  // what the worker's bash runs, aimed at a copy of /etc/hosts
  const hosts = join(tmp, 'pushed-hosts');
  writeFileSync(hosts, '127.0.0.1 localhost\n');
  ok(shipped.replace(/^disco_hosts_write \/etc\/hosts /m, `disco_hosts_write ${hosts} `));
  assert.equal(readFileSync(hosts, 'utf8'),
    `127.0.0.1 localhost\n# BEGIN disco-cluster (managed, rewritten by the cluster bootstrap)\n${block}\n# END disco-cluster\n`);
  const timeout = ok(`${lib('bootstrap')}; ssh() { printf '%s\\n' "$@"; }; DISCO_SSH_CONNECT_TIMEOUT=5 disco_ssh 10.0.0.5 true`).split('\n');
  assert.ok(timeout.includes('ConnectTimeout=5') && !timeout.includes('ConnectTimeout=10'), timeout.join(' '));
});

test('disco_ssh never prompts; disco_pip_install uses the mirror index; disco_apt_install skips what is installed', () => {
  const ssh = ok(`${lib('bootstrap')}; ssh() { printf '%s\\n' "$@"; }; disco_ssh 10.0.0.5 true`).split('\n');
  for (const o of ['StrictHostKeyChecking=accept-new', 'BatchMode=yes', 'ConnectTimeout=10']) assert.ok(ssh.includes(o), o);
  assert.ok(ssh.includes('/root/.ssh/disco_cluster') && ssh.includes('root@10.0.0.5'), ssh.join(' '));

  const venv = join(tmp, 'venv');
  mkdirSync(join(venv, 'bin'), { recursive: true });
  writeFileSync(join(venv, 'bin', 'pip'), '#!/bin/bash\nprintf "%s\\n" "$@" "index=${PIP_INDEX_URL:-}"\n');
  chmodSync(join(venv, 'bin', 'pip'), 0o755);
  const stubs = 'disco_apt_install() { :; }; python3() { echo "no venv expected" >&2; return 1; }';
  const withMirror = ok(`${lib('bootstrap')}; ${stubs}; disco_pip_install ${venv} 'numpy>=1.2' pandas`, { DISCO_MIRROR: 'http://mirror.example/disco' }).split('\n');
  // the index reaches pip in its environment, never its command line (a mirror URL may hold a password)
  assert.deepEqual(withMirror.slice(withMirror.indexOf('numpy>=1.2'), -1), ['numpy>=1.2', 'pandas', 'index=http://mirror.example/disco/pypi/simple/']);
  assert.ok(!withMirror.some((l) => l.startsWith('--index-url')));
  assert.ok(ok(`${lib('bootstrap')}; ${stubs}; disco_pip_install ${venv} pandas`, { DISCO_MIRROR: '' }).includes('index=\n'));

  const apt = ok(`${lib('bootstrap')}; dpkg-query() { echo "install ok installed"; }; apt-get() { echo "apt-get $*"; }; disco_apt_install erlang-nox python3`);
  assert.equal(apt, '', 'nothing to install, no apt-get');
  // a failed index download is retried; a failed install fetches the indexes again first
  const marker = join(mkdtempSync(join(tmpdir(), 'apt-')), 'updated');
  const flaky = ok(`${lib('bootstrap')}; dpkg-query() { return 1; }; sleep() { :; }; n=0
    apt-get() { n=$((n + 1)); echo "apt-get $* (call $n)"; case "$n" in 1|3) return 100;; esac; }
    disco_apt_install nginx-light 2>&1`, { DISCO_APT_MARKER: marker });
  const update = (n: number) => `apt-get -q -o DPkg::Lock::Timeout=120 --error-on=any update (call ${n})`;
  const install = (n: number) => `apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=120 -o Dpkg::Options::=--force-confold nginx-light (call ${n})`;
  assert.deepEqual(flaky.trim().split('\n'), [
    update(1), 'disco_apt_install: apt-get update failed (attempt 1 of 5)', 'disco_apt_install: attempt 1 of 5 failed for: nginx-light',
    update(2), install(3), 'disco_apt_install: attempt 2 of 5 failed for: nginx-light',
    update(4), install(5),
  ]);
});

test('disco_register_node refuses a node name it would put on a remote command line; post.sh without a script does nothing', () => {
  const r = sh(`${lib('bootstrap')}; disco_ssh() { echo "ssh must not run"; }; disco_register_node 1`,
    { DISCO_MASTER_IP: '127.0.0.1', DISCO_NODE: 'x; rm -rf /' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /unusable node name/);
  assert.ok(!r.stdout.includes('ssh must not run'));
  const post = readFileSync(join(ROOT, 'frameworks/bootstrap/post.sh'), 'utf8').replace(/^#!.*\n/, '');
  assert.equal(ok(`section() {\n${post}\n}\nsection`), '');
});
