// Framework scripts run for real with bash, as the node script runs a section (set -euo
// pipefail), from the repository's root, with a minimal environment and HOME in the test's
// own temporary directory.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ROOT } from './service.js';

export interface Run { status: number | null; stdout: string; stderr: string }

export function bashRunner(home: string): {
  sh: (script: string, env?: Record<string, string>, input?: string) => Run;
  ok: (script: string, env?: Record<string, string>, input?: string) => string;
} {
  const sh = (script: string, env: Record<string, string> = {}, input?: string): Run => {
    const r = spawnSync('bash', ['-c', `set -euo pipefail\n${script}`], {
      cwd: ROOT, encoding: 'utf8', timeout: 30_000, input,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LC_ALL: 'C', ...env },
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const ok = (script: string, env: Record<string, string> = {}, input?: string): string => {
    const r = sh(script, env, input);
    assert.equal(r.status, 0, `bash failed (${r.status}): ${script}\n${r.stderr}`);
    return r.stdout;
  };
  return { sh, ok };
}
