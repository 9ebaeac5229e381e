// The `disco` command: disposable clusters from the shell, as StarCluster and disposabledisco
// users work, over the service's HTTP API (Keystone only for a token). Exit codes: 0 done;
// 1 the service refused (its message on stderr); 2 usage; 3 a wait timed out; 4 the cluster failed.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { DiscoClient } from '../client/client.js';
import { ApiError } from '../client/errors.js';
import { clusterRow, LIST_COLUMNS, SHOW_COLUMNS } from './columns.js';
import { clusterFileTemplate, parseClusterFile } from './config-file.js';
import { UsageError } from './credentials.js';
import { loggedInClient } from './login.js';
import { formatOne, formatRows, FORMATS, type Format, type OutputOptions } from './output.js';
import { NoSsh, ssh } from './ssh.js';
import { ClusterFailed, waitFor, WaitTimeout, type Want } from './wait.js';
import type { Cluster, CreateRequest } from '../client/cluster.js';

export const EXIT = { OK: 0, SERVICE: 1, USAGE: 2, TIMEOUT: 3, FAILED: 4 } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Io { out(s: string): void; err(s: string): void; env: Record<string, string | undefined>; tty: boolean }

interface Globals { url?: string; osCloud?: string; output: Format; column: string[] }

const serviceUrl = (g: Globals, io: Io) => g.url ?? io.env.DISCO_URL ?? 'http://127.0.0.1:8888';
const client = (g: Globals, io: Io): Promise<DiscoClient> => loggedInClient(serviceUrl(g, io), io.env, g.osCloud);

/** A cluster by id, or by its name when that is one cluster's. */
async function resolve(api: DiscoClient, ref: string): Promise<Cluster> {
  if (UUID.test(ref)) return api.get(ref);
  const named = (await api.list()).filter((c) => c.title === ref);
  if (named.length === 0) throw new ApiError(404, `no cluster named ${JSON.stringify(ref)} in your project`);
  if (named.length > 1) throw new ApiError(409, `${named.length} clusters are named ${JSON.stringify(ref)}: use the id (${named.map((c) => c.id).join(', ')})`);
  return api.get(named[0]!.id);
}

const positive = (v: string, name: string) => {
  if (!/^\d+$/.test(v)) throw new UsageError(`${name}: a whole number, got ${JSON.stringify(v)}`);
  return Number(v);
};

export async function run(argv: string[], io: Io): Promise<number> {
  const program = new Command('disco').description('DISCO clusters on OpenStack, from the shell')
    .option('--url <url>', 'the service (default: DISCO_URL, else http://127.0.0.1:8888)')
    .option('--os-cloud <name>', 'a cloud of clouds.yaml (default: OS_CLOUD; else the OS_* variables)')
    .addOption(new Option('-o, --output <format>', 'output format').choices([...FORMATS]).default('table'))
    .option('-c, --column <name>', 'a column to show (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(disco --help lists the commands)');
  let code: number = EXIT.OK;
  const g = () => program.opts<Globals>();
  /** The model and the frameworks need no credentials (GET /-/ is public). */
  const anonymous = () => new DiscoClient({ baseUrl: serviceUrl(g(), io), auth: { none: true } });
  const out = (): OutputOptions => ({ output: g().output, columns: g().column });
  const tell = (line: string) => { if (io.tty) io.err(`${new Date().toISOString().slice(11, 19)} ${line}\n`); };
  const show = (c: Cluster) => io.out(formatOne(clusterRow(c), SHOW_COLUMNS, out()));
  const wait = async (api: DiscoClient, id: string, want: Want, timeoutSeconds: number) => waitFor(api, id, want, { timeoutSeconds, tell });
  /** --timeout in whole seconds, checked as the command line is read: before anything is sent */
  const timeout = (c: Command, what: string, seconds: number) => c.option('--timeout <seconds>', what, (v: string) => positive(v, '--timeout'), seconds);

  program.command('frameworks').description('the frameworks and their properties').action(async () => {
    const m = await anonymous().model();
    const rows = m.mixins.filter((x) => x.scheme.endsWith('/framework#')).map((x) => ({
      name: x.term, description: x.title, depends: (x.depends ?? []).map((d) => d.slice(d.indexOf('#') + 1)),
      properties: Object.keys(x.attributes).filter((n) => !n.startsWith('icclab.disco.ui.')).map((n) => n.split('.').pop()),
    }));
    io.out(formatRows(rows, ['name', 'description', 'depends', 'properties'], out()));
  });
  program.command('config').description('cluster files').command('init').description('print a commented cluster file with the service\'s defaults')
    .action(async () => { io.out(clusterFileTemplate(await anonymous().model())); });

  const request = (o: { file?: string; name?: string; workers?: string; framework: string[] }): CreateRequest => {
    const req = o.file ? parseClusterFile(readFileSync(o.file, 'utf8'), o.file) : { frameworks: [] };
    if (o.name) req.title = o.name;
    if (o.workers !== undefined) req.workers = positive(o.workers, '--workers');
    if (o.framework.length) req.frameworks = o.framework;
    return req;
  };
  const createOptions = (c: Command) => c.option('-f, --file <file>', 'a cluster file (YAML or JSON; disco config init)')
    .option('-n, --name <name>', 'the cluster\'s name').option('-w, --workers <n>', 'how many workers')
    .option('--framework <name>', 'a framework (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[]);
  createOptions(program.command('plan').description('what a create would make, made of nothing (the dry run)')).action(async (o) => {
    const p = await (await client(g(), io)).plan(request(o));
    if (g().output !== 'table') { io.out(formatOne(p as unknown as Record<string, unknown>, Object.keys(p), out())); return; }
    io.out(`${p.workers} workers; Heat ${p.validation.ok ? 'accepts the template' : `refuses the template: ${p.validation.message}`}\n`);
    io.out(`frameworks, in install order: ${p.frameworks.map((f) => `${f.name}${f.version ? ` ${f.version}` : ''}`).join(', ')}\n`);
    io.out(`quota: ${p.quota.fits ? 'fits' : `does not fit: ${p.quota.shortfalls.join('; ')}`}\n`);
    io.out(formatRows(p.security_rules.map((r) => ({ framework: r.framework, ports: `${r.protocol} ${r.portMin === r.portMax ? r.portMin : `${r.portMin}-${r.portMax}`}`,
      open_to: r.remote ?? 'nobody', why: r.description })), ['framework', 'ports', 'open_to', 'why'], out()));
  });
  timeout(createOptions(program.command('create').description('create a cluster')).option('--wait', 'wait until it is ready'), 'how long --wait waits', 3600).action(async (o) => {
      const api = await client(g(), io);
      const c = await api.create(request(o));
      show(o.wait ? (await wait(api, c.id, 'ready', o.timeout))! : c);
    });
  program.command('list').description('your project\'s clusters').action(async () => {
    io.out(formatRows((await (await client(g(), io)).list()).map(clusterRow), LIST_COLUMNS, out()));
  });
  program.command('show').argument('<cluster>', 'id or name').description('one cluster').action(async (ref: string) => { show(await resolve(await client(g(), io), ref)); });
  timeout(program.command('wait').argument('<cluster>', 'id or name').description('wait until the cluster is ready, suspended or deleted')
    .addOption(new Option('--for <state>', 'what to wait for').choices(['ready', 'suspended', 'deleted']).default('ready')), 'how long to wait', 3600)
    .action(async (ref: string, o: { for: Want; timeout: number }) => {
      const api = await client(g(), io);
      const c = await resolve(api, ref);
      const done = await wait(api, c.id, o.for, o.timeout);
      if (done) show(done); else io.out(`${c.title} is deleted\n`);
    });
  timeout(program.command('scale').argument('<cluster>', 'id or name').argument('<workers>', 'the new number of workers').description('change the number of workers')
    .option('--wait', 'wait until it is ready again'), 'how long --wait waits', 3600).action(async (ref: string, n: string, o: { wait?: boolean; timeout: number }) => {
      const api = await client(g(), io);
      const c = await api.scale((await resolve(api, ref)).id, positive(n, 'workers'));
      show(o.wait ? (await wait(api, c.id, 'ready', o.timeout))! : c);
    });
  for (const [verb, until] of [['suspend', 'suspended'], ['resume', 'ready']] as const) {
    timeout(program.command(verb).argument('<cluster>', 'id or name').description(`${verb} every server of the cluster`)
      .option('--wait', `wait until it is ${until}`), 'how long --wait waits', 3600)
      .action(async (ref: string, o: { wait?: boolean; timeout: number }) => {
        const api = await client(g(), io);
        const c = await api[verb]((await resolve(api, ref)).id);
        show(o.wait ? (await wait(api, c.id, until, o.timeout))! : c);
      });
  }
  timeout(program.command('delete').argument('<cluster>', 'id or name').description('delete a cluster and everything on it')
    .option('--yes', 'do not ask').option('--wait', 'wait until it is gone'), 'how long --wait waits', 1800)
    .action(async (ref: string, o: { yes?: boolean; wait?: boolean; timeout: number }) => {
      const api = await client(g(), io);
      const c = await resolve(api, ref);
      if (!o.yes) throw new UsageError(`deleting ${c.title} (${c.id}) destroys its servers and data: add --yes`);
      await api.delete(c.id);
      if (o.wait) await wait(api, c.id, 'deleted', o.timeout);
      io.out(`${c.title} ${o.wait ? 'is deleted' : 'is being deleted'}\n`);
    });
  program.command('events').argument('<cluster>', 'id or name').description('what happened to the cluster, oldest first').option('--follow', 'then print new events as they come')
    .action(async (ref: string, o: { follow?: boolean }) => {
      const api = await client(g(), io);
      const c = await resolve(api, ref);
      const { followEvents } = await import('./events.js');
      await followEvents(api, c.id, { follow: o.follow === true, out: (rows) => io.out(formatRows(rows, ['time', 'source', 'what'], out())) });
    });
  program.command('ssh').argument('<cluster>', 'id or name').argument('[command...]', 'a command to run (after --)').description('log in to the master with the cluster\'s key')
    .action(async (ref: string, command: string[]) => { code = await ssh(await resolve(await client(g(), io), ref), command, io.env.DISCO_SSH ? { ssh: io.env.DISCO_SSH } : {}); });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    const one = (s: string) => io.err(`disco: ${s.split('\n')[0]}\n`);
    if (e instanceof UsageError || e instanceof NoSsh) { one(e.message); return EXIT.USAGE; }
    if (e instanceof WaitTimeout) { one(`timed out: ${e.message}`); return EXIT.TIMEOUT; }
    if (e instanceof ClusterFailed) { one(`the cluster failed: ${e.message}`); return EXIT.FAILED; }
    if (e instanceof ApiError) { one(`${e.status ? `${e.status} ` : ''}${e.message}`); return EXIT.SERVICE; }
    one(e instanceof Error ? e.message : String(e));
    return EXIT.SERVICE;
  }
}
