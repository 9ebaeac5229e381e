// Port 8888 is the service's default: the README's walk-throughs and its podman lines use it as
// written, so the files that run them take it in turn, each under an flock(1) of this file
// (the kernel drops the lock with its holder: a killed file never leaves it held).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './service.js';

const LOCK = join(ROOT, 'var/port-8888.lock');

/** `command args` as a command that first waits for port 8888's turn. */
export function inTurn(command: string, args: string[]): [string, string[]] {
  mkdirSync(join(ROOT, 'var'), { recursive: true });
  return ['flock', [LOCK, command, ...args]];
}
