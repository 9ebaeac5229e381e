// The whole service for tests: in-process (supertest against the express app, the real
// worker, a fresh data directory) or as a child process (for kill -9 and npm start).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import request from 'supertest';
import { compose, type Service } from '../../src/compose.js';
import { loadConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/log/logger.js';
import { cloudEnv, userOf, type Who } from './cloud.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Settings that make tests quick on the local cloud; everything else is etc/sm.json. */
export function testEnv(extra: Record<string, string> = {}): Record<string, string> {
  const e = cloudEnv();
  return {
    SM_DATA_DIR: mkdtempSync(join(tmpdir(), 'disco-sm-')),
    SM_KEYSTONE_URL: e.OS_AUTH_URL,
    SM_MASTER_FLAVOR: e.LOCAL_CLOUD_FLAVOR, SM_WORKER_FLAVOR: e.LOCAL_CLOUD_FLAVOR,
    SM_MASTER_IMAGE: e.LOCAL_CLOUD_IMAGE, SM_WORKER_IMAGE: e.LOCAL_CLOUD_IMAGE,
    SM_EXTERNAL_NETWORK: e.LOCAL_CLOUD_EXTERNAL_NETWORK,
    // polls a stack at most every 6 s (the service's default is 15): every poll of one being
    // created reads its nested resources, Heat's heaviest read, and Heat shares 2 cores with the rest
    SM_POLL_INITIAL_MS: '500', SM_POLL_MAX_MS: '6000', SM_LOG_LEVEL: 'debug', SM_ADMIN_PORT: '0',
    ...extra,
  };
}

export interface InProcess { service: Service; logs: string[]; env: Record<string, string> }

export function inProcess(extra: Record<string, string> = {}): InProcess {
  const env = testEnv(extra);
  const logs: string[] = [];
  const sink = new Writable({ write(c, _e, done) { logs.push(...String(c).split('\n').filter(Boolean)); done(); } });
  const config = loadConfig({ ...process.env, ...env });
  return { service: compose(config, createLogger({ level: config.logLevel, destination: sink })), logs, env };
}

/** The ICCLab clients' credential headers. */
export function passwordHeaders(who: Who = 'demo'): Record<string, string> {
  const [u, p, t] = userOf(who);
  return { 'X-User-Name': u, 'X-Password': p, 'X-Tenant-Name': t };
}

export const KIND_CATEGORY = 'disco; scheme="http://schemas.cloudcomplab.ch/occi/sm#"; class="kind";';

/** Creates a cluster through the app (ICCLab's request, text/occi) and answers its path; the create must be a 201. */
export async function createCluster(app: Express, headers: Record<string, string>, attrs = icclabAttributes(1)): Promise<string> {
  const r = await request(app).post('/disco/').set('Category', KIND_CATEGORY).set('Content-Type', 'text/occi').set(headers)
    .set('X-OCCI-Attribute', attrs);
  if (r.status !== 201) throw new Error(`create: ${r.status} ${r.text}`);
  return new URL(r.headers.location as string).pathname;
}

/** The attribute header of ICCLab's README, on the local cloud's flavor and image. */
export function icclabAttributes(workers: number | string = 1, extra = ''): string {
  const e = cloudEnv();
  return `icclab.disco.components.heat.masterimage="${e.LOCAL_CLOUD_IMAGE}", icclab.disco.components.heat.slaveimage="${e.LOCAL_CLOUD_IMAGE}", ` +
    `icclab.disco.components.heat.masterflavor="${e.LOCAL_CLOUD_FLAVOR}", icclab.disco.components.heat.slaveflavor="${e.LOCAL_CLOUD_FLAVOR}", ` +
    `icclab.disco.components.heat.externalnetworkname="${e.LOCAL_CLOUD_EXTERNAL_NETWORK}", ` +
    `icclab.disco.components.heat.slavecount="${workers}", ` +
    `icclab.disco.dependencies.inject="{'hadoop':'','spark':'','zeppelin':'','jupyter':''}"${extra}`;
}

/** The same with other frameworks asked for (`inject` as ICCLab's attribute takes it, e.g. "jupyter"). */
export function attributesWith(workers: number, inject: string): string {
  return icclabAttributes(workers).replace(/icclab\.disco\.dependencies\.inject="[^"]*"/, `icclab.disco.dependencies.inject="${inject}"`);
}

/** A master alone (Jupyter, no workers): the cheapest cluster for the local cloud to build
 * (about 20 CPU-seconds to create and delete; each worker adds about 7), for tests whose proof
 * is the service's and not the cluster's size. */
export const masterOnlyAttributes = (): string => attributesWith(0, "{'jupyter':''}");

/** Reads X-OCCI-Attribute lines of a text/plain rendering into a map (values unquoted). */
export function textAttributes(body: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of body.split('\n')) {
    const m = /^X-OCCI-Attribute: ([^=]+)=(.*)$/.exec(line);
    if (!m) continue;
    const raw = m[2]!;
    out.set(m[1]!, raw.startsWith('"') ? raw.slice(1, -1).replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\') : raw);
  }
  return out;
}

export interface Child {
  url: string;
  /** The admin listener (/healthz, /readyz, /metrics). */
  adminUrl: string;
  proc: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
  /** Signals the whole process group (npm start runs sh, tsx and node under npm). */
  kill(signal: NodeJS.Signals): void;
}

/** Runs `command` (default: the service's entry point) and waits for its "listening on" line. */
export async function spawnService(env: Record<string, string>, command: string[] = [process.execPath, '--import', 'tsx', 'src/main.ts']): Promise<Child> {
  const proc = spawn(command[0]!, command.slice(1), { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const lines: string[] = [];
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  let adminUrl = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening on" within 30 s:\n${lines.join('\n')}`)), 30_000);
    const onData = (c: Buffer) => {
      for (const l of String(c).split('\n').filter(Boolean)) {
        lines.push(l);
        const a = /admin endpoints [^"]* on (http:\/\/[\d.]+:\d+)/.exec(l);
        if (a) adminUrl = a[1]!;
        const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(l);
        if (m) { clearTimeout(timer); resolve(m[1]!); }
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`exited with ${code}:\n${lines.join('\n')}`)); });
  });
  const kill = (signal: NodeJS.Signals) => { try { process.kill(-proc.pid!, signal); } catch { /* already gone */ } };
  return { url, adminUrl, proc, lines, exited, kill };
}
