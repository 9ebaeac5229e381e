// Log lines stay true: a registered secret is scrubbed inside the line's strings only, so
// every line stays valid JSON whatever the secret is, and the cost of finding secrets does
// not grow with how many are held.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from '../../src/log/logger.js';
import { forgetSecret, redact, redactLogLine, registerSecret, REDACTED } from '../../src/log/redact.js';
import { SecretIndex } from '../../src/log/secret-index.js';

function capture(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({ write(c, _e, done) { lines.push(...String(c).split('\n').filter(Boolean)); done(); } });
  return { logger: createLogger({ level: 'debug', destination: sink }), lines };
}
const strings = (v: unknown): string[] => typeof v === 'string' ? [v]
  : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : [];
const flush = () => new Promise((r) => setImmediate(r));

const HOSTILE = ['"level":', '"msg":"', '}}}}}}', '\\\\\\\\\\\\', '","x":1,"', '\\"\\n\\u00', ':30,"time', 'request'];

test('every log line stays valid JSON with hostile secrets registered', async () => {
  for (const s of HOSTILE) registerSecret(s);
  try {
    const { logger, lines } = capture();
    logger.info({ method: 'GET', path: '/disco/', status: 401, ms: 1.5 }, 'request');
    logger.warn({ note: `a "quoted" value with ${HOSTILE.join(' and ')} inside`, nested: { list: ['}}}}}}', 'x'] } }, 'hostile');
    logger.error({ err: new Error('boom: "level": }}}}}} \\\\\\\\\\\\') }, 'failed');
    logger.child({ requestId: 'r-1' }).info('plain line');
    await flush();
    assert.equal(lines.length, 4);
    for (const l of lines) {
      const o = JSON.parse(l) as Record<string, unknown>; // throws if the line was broken
      assert.equal(typeof o.level, 'number', l);
      assert.equal(typeof o.time, 'number', l);
      for (const v of strings(o)) for (const s of HOSTILE) assert.ok(!v.includes(s), `${s} in ${l}`);
    }
    const warn = JSON.parse(lines[1]!) as { note: string; nested: { list: string[] } };
    assert.equal(warn.note, `a "quoted" value with ${HOSTILE.map(() => REDACTED).join(' and ')} inside`);
    assert.deepEqual(warn.nested.list, [REDACTED, 'x']);
    assert.equal((JSON.parse(lines[0]!) as { msg: string }).msg, REDACTED, "a secret equal to a message is scrubbed, the line's keys are not");
  } finally {
    for (const s of HOSTILE) forgetSecret(s);
  }
});

test('a line without a secret passes untouched; a secret in it is scrubbed in its JSON form', () => {
  const line = '{"level":30,"time":1,"msg":"nothing here"}';
  assert.equal(redactLogLine(line), line);
  const s = 'pa"ss\\word\n1';
  registerSecret(s);
  try {
    const out = redactLogLine(JSON.stringify({ level: 30, msg: `x ${s} y` }));
    assert.deepEqual(JSON.parse(out), { level: 30, msg: `x ${REDACTED} y` });
  } finally { forgetSecret(s); }
});

test('a private key without its end is scrubbed to the end of its string, not of the line', () => {
  const out = redactLogLine(JSON.stringify({ level: 50, output: '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA', msg: 'after' }));
  assert.deepEqual(JSON.parse(out), { level: 50, output: REDACTED, msg: 'after' });
});

test('plain-text redaction still scrubs (error messages)', () => {
  registerSecret('abc"def}ghi');
  try { assert.equal(redact('x abc"def}ghi y'), `x ${REDACTED} y`); } finally { forgetSecret('abc"def}ghi'); }
});

test('the index finds the longest secret at each place, leftmost first', () => {
  const ix = new SecretIndex(3, 10);
  ix.add('abcdef');
  ix.add('abcdefgh');
  ix.add('xyz123');
  assert.equal(ix.replaceIn('--abcdefgh--abcdef--xyz123xyz123', '#'), '--#--#--##');
  assert.equal(ix.replaceIn('nothing', '#'), 'nothing');
  assert.equal(ix.occursIn('..xyz123'), true);
  assert.equal(ix.occursIn('xyz12'), false);
  ix.delete('xyz123');
  assert.equal(ix.occursIn('..xyz123'), false);
});

test('the index is bounded: the oldest is forgotten and said so', () => {
  const ix = new SecretIndex(3, 2);
  assert.equal(ix.add('aaaa'), undefined);
  assert.equal(ix.add('bbbb'), undefined);
  assert.equal(ix.add('aaaa'), undefined, 'seen again: the newest now');
  assert.equal(ix.add('cccc'), 'bbbb');
  assert.equal(ix.size, 2);
  assert.equal(ix.replaceIn('aaaa bbbb cccc', '#'), '# bbbb #');
});

test('finding secrets costs about the same with 10,000 held as with 1,000, tokens alike in their first characters', () => {
  const few = new SecretIndex(6, 10_000);
  const many = new SecretIndex(6, 10_000);
  // Keystone's tokens share their first characters; passwords are short
  const token = (i: number) => `gAAAAABp${String(i).padStart(12, '0')}${'x'.repeat(150)}`;
  for (let i = 0; i < 500; i++) { few.add(token(i)); few.add(`pw-${i}-ab`); }
  for (let i = 0; i < 5000; i++) { many.add(token(i)); many.add(`pw-${i}-ab`); }
  const line = JSON.stringify({ level: 30, time: Date.now(), msg: 'request', method: 'GET', path: '/disco/0000', status: 200,
    note: `gAAAAABp-not-held pw-x-ab pw-x-ab`, ms: 1.2 }).repeat(4);
  const time = (ix: SecretIndex) => {
    const start = performance.now();
    for (let i = 0; i < 2000; i++) ix.occursIn(line);
    return performance.now() - start;
  };
  time(few); time(many); // warm up
  const ratio = time(many) / time(few);
  // a scan of every held secret would be about 10 times slower
  assert.ok(ratio < 4, `10,000 secrets cost ${ratio.toFixed(1)}x what 1,000 cost`);
});
