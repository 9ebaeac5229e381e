#!/usr/bin/env node
// `disco`: the service's command-line client (src/cli/main.ts), run through tsx like the service.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../src/cli/main.ts');
process.exitCode = await run(process.argv.slice(2), {
  out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), env: process.env, tty: process.stderr.isTTY === true,
});
