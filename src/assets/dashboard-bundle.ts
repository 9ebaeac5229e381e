// The dashboard's browser code, bundled from src/dashboard/ by esbuild when first asked for
// (about a hundred milliseconds, once per process), kept in memory: no build step, no
// generated files to go stale, and `npm start` serves what the source says.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface Asset { body: Buffer; type: string; etag: string }
export interface DashboardAssets { 'index.html': Asset; 'app.js': Asset; 'app.css': Asset }

const DIR = fileURLToPath(new URL('../dashboard/', import.meta.url));

const asset = (body: Buffer | string, type: string): Asset => {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return { body: b, type, etag: `"${createHash('sha256').update(b).digest('base64url').slice(0, 22)}"` };
};

async function bundle(): Promise<DashboardAssets> {
  const out = await build({
    entryPoints: [`${DIR}main.tsx`], bundle: true, write: false, minify: true, format: 'esm', target: 'es2022',
    jsx: 'automatic', jsxImportSource: 'preact', outdir: '/', legalComments: 'none', logLevel: 'silent',
  });
  const js = out.outputFiles.find((f) => f.path.endsWith('.js'));
  if (!js) throw new Error('esbuild made no JavaScript for the dashboard');
  return {
    'index.html': asset(readFileSync(`${DIR}index.html`), 'text/html; charset=utf-8'),
    'app.js': asset(Buffer.from(js.contents), 'text/javascript; charset=utf-8'),
    'app.css': asset(readFileSync(`${DIR}app.css`), 'text/css; charset=utf-8'),
  };
}

let built: Promise<DashboardAssets> | undefined;
/** A failed build is tried again, but not on every request (each is a run of esbuild). */
const RETRY_MS = 30_000;

/** The bundle, made once. */
export function dashboardAssets(): Promise<DashboardAssets> {
  built ??= bundle().catch((e: unknown) => { setTimeout(() => { built = undefined; }, RETRY_MS).unref(); throw e; });
  return built;
}
