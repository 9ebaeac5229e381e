// Real Chromium (Debian's package, installed by scripts/test-setup) driven by playwright-core,
// for the dashboard's tests: where screenshots go, and axe-core's check of a page.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

export { artifactDir } from './diagnosis.js';

export function launch(): Promise<Browser> {
  // as root Chromium runs only without its sandbox; the pages are the service's own
  return chromium.launch({ executablePath: process.env.SM_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }

/** axe-core's serious and critical violations on the page as it is now (run through the
 * DevTools protocol: the page's CSP forbids inline scripts, as it should). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  const result = await page.evaluate(`(async () => { ${AXE}; const r = await axe.run(document, { resultTypes: ['violations'] }); return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })); })()`) as AxeViolation[];
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
