// Heat helpers for tests: fixtures, waiting for a stack status, and cleaning up stacks a
// crashed earlier run left behind.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { NotFoundError, type HeatClient, type Stack, type StackRef } from '../../src/openstack/index.js';

export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/heat/${name}`, import.meta.url), 'utf8');
}

/** A stack name unique to this run, with a prefix that cleanupStacks recognises. */
export function testStackName(what: string): string {
  return `ostest-${what}-${process.pid}-${Date.now().toString(36)}`;
}

/** Polls until the stack reaches `want`, then reads it with its outputs; throws on *_FAILED
 * (with Heat's reason) or timeout. Polls leave the outputs out: resolving them makes Heat ask
 * Nova and Neutron about every resource, measured as most of Heat's slow reads in a full run. */
export async function waitForStatus(heat: HeatClient, ref: StackRef, want: string, timeoutMs = 240_000): Promise<Stack> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const s = await heat.getStack(ref, { outputs: false });
    last = s.status;
    if (s.status === want) return want === 'DELETE_COMPLETE' ? s : heat.getStack(ref);
    if (s.status.endsWith('_FAILED')) throw new Error(`stack ${ref.name} is ${s.status}: ${s.statusReason}`);
    await sleep(1000);
  }
  throw new Error(`stack ${ref.name} did not reach ${want} in ${timeoutMs} ms (last ${last})`);
}

/**
 * Polls a lookup by name until Heat answers 404 (a deleted stack lingers for a moment). A
 * DELETE_FAILED is waited out: Heat fails a delete now and then on its own database races
 * ("IntegrityError ... resource_ibfk_2", seen under load) and the service deletes again; a
 * caller that deleted the stack itself says `redelete`, and the delete is sent again here.
 */
export async function waitForGone(heat: HeatClient, name: string, timeoutMs = 120_000, o: { redelete?: boolean } = {}): Promise<NotFoundError> {
  const deadline = Date.now() + timeoutMs;
  let failed = '';
  while (Date.now() < deadline) {
    try {
      const s = await heat.getStack(name, { outputs: false });
      if (s.status === 'DELETE_FAILED') {
        failed = ` (it was DELETE_FAILED: ${s.statusReason})`;
        if (o.redelete) await heat.deleteStack(s).catch(() => undefined);
      }
    } catch (e) {
      if (e instanceof NotFoundError) return e;
      throw e;
    }
    await sleep(1000);
  }
  throw new Error(`stack ${name} still exists after ${timeoutMs} ms${failed}`);
}

/** Deletes stacks left by earlier test runs (their names start with ostest-). */
export async function cleanupStacks(heat: HeatClient): Promise<void> {
  const old = (await heat.listStacks()).filter((s) => s.name.startsWith('ostest-') && s.status !== 'DELETE_COMPLETE');
  for (const s of old) if (s.status !== 'DELETE_IN_PROGRESS') await heat.deleteStack(s).catch(() => undefined);
  for (const s of old) await waitForGone(heat, s.name, 120_000, { redelete: true }).catch(() => undefined);
}

/** A lane's project holds only this file's stacks: any an earlier, interrupted run left go
 * first. Returns the names of those it deleted. */
export async function emptyLane(heat: HeatClient): Promise<string[]> {
  const left = (await heat.listStacks()).filter((s) => s.status !== 'DELETE_COMPLETE');
  // a delete in progress too: one whose engine was restarted stays so until a new delete takes its lock
  for (const s of left) await heat.deleteStack(s).catch(() => undefined);
  for (const s of left) await waitForGone(heat, s.name, 300_000, { redelete: true });
  return left.map((s) => s.name);
}
