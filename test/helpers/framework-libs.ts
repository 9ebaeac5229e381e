// The lib files a framework's manifest declares (scripts.lib: one file or a list), as a
// bash line that sources them all: the framework tests call the functions they define.
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { join } from 'node:path';
import { libFiles, type FrameworkManifest } from '../../src/frameworks/manifest.js';
import { ROOT } from './service.js';

export function libPaths(fw: string): string[] {
  const m = load(readFileSync(join(ROOT, 'frameworks', fw, 'framework.yaml'), 'utf8')) as Pick<FrameworkManifest, 'scripts'>;
  return libFiles(m).map((f) => join(ROOT, 'frameworks', fw, f));
}

export const sourceLibs = (...fws: string[]): string => fws.flatMap(libPaths).map((p) => `source ${JSON.stringify(p)}`).join('; ');
