// What a failing integration file says about why, where a run's reader sees it: lines marked
// "[diagnosis]" are repeated by test/run.ts under the file's FAILED line at the run's very end
// (CI keeps only the tail of a run's output), and whole logs go to the artifact directory.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const MARK = '[diagnosis] ';
/** At most this many lines of a file are repeated at the end, each cut to LINE_MAX characters. */
export const LINES_MAX = 40;
export const LINE_MAX = 300;

export function diagnose(lines: string[]): void {
  for (const l of lines) process.stdout.write(`${MARK}${l.replace(/\s+/g, ' ').slice(0, LINE_MAX)}\n`);
}

/** The diagnosis lines of a file's output, the last LINES_MAX of them. */
export function diagnosisOf(output: string): string[] {
  return output.split('\n').filter((l) => l.startsWith(MARK)).slice(-LINES_MAX);
}

/** Where the run keeps its artifacts (SM_TEST_ARTIFACT_DIR, default var/test-artifacts), made if missing. */
export function artifactDir(what: string): string {
  const dir = join(process.env.SM_TEST_ARTIFACT_DIR ?? join(ROOT, 'var/test-artifacts'), what);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes a log to artifactDir(what)/name; returns its path. */
export function keepLog(what: string, name: string, lines: string[]): string {
  const file = join(artifactDir(what), name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
