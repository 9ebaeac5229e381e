// var/local-cloud/env, the local cloud's credentials as `up` writes them (KEY=value lines),
// for the tests and the node simulator.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ENV_FILE = fileURLToPath(new URL('../../var/local-cloud/env', import.meta.url));

export function readEnvFile(): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(ENV_FILE, 'utf8');
  } catch {
    throw new Error(`the local cloud is not set up: ${ENV_FILE} is missing. Run scripts/local-cloud/up (as root), ` +
      'or npm test, which runs it first.');
  }
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) env[m[1]!] = m[2]!;
  }
  return env;
}
