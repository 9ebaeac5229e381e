// What goes into user_data loses its whole comment lines, never a here-document's body, a #!
// line or code; and every shipped script still parses once stripped.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { stripComments } from '../../src/heat/strip-comments.js';
import { ROOT } from '../helpers/service.js';

test('whole comment lines go; code, inline comments, #! lines and here-document bodies stay', () => {
  const table: [string, string][] = [
    ['# a comment\necho hi\n  # indented\necho "# not a comment"', 'echo hi\necho "# not a comment"'],
    ['x=1 # inline stays', 'x=1 # inline stays'],
    ['#!/bin/bash\necho', '#!/bin/bash\necho'],
    ["cat <<'UNIT'\n# Written by DISCO\n[Service]\nUNIT\n# gone", "cat <<'UNIT'\n# Written by DISCO\n[Service]\nUNIT"],
    ['cat >f <<EOF\n#!/bin/sh\n# kept\nEOF\n# gone\necho', 'cat >f <<EOF\n#!/bin/sh\n# kept\nEOF\necho'],
    ['  cat <<-"X"\n\t# kept\n\tX\n# gone', '  cat <<-"X"\n\t# kept\n\tX'],
    // a here-string is not a here-document
    ['read -r a <<<"$b"\n# gone\necho', 'read -r a <<<"$b"\necho'],
    // what it cannot read as a here-document's end keeps the rest as it is (less removed, never more)
    ['echo "x <<word"\n# kept: no line ends "word"', 'echo "x <<word"\n# kept: no line ends "word"'],
    // a shift is not a here-document (its operand is no word)
    ['echo $((1 << 3))\n# gone', 'echo $((1 << 3))'],
  ];
  for (const [input, want] of table) assert.equal(stripComments(input), want, input);
});

test('every shipped script parses once stripped, and loses its comment lines', () => {
  const files = readdirSync(join(ROOT, 'frameworks'), { withFileTypes: true }).filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(ROOT, 'frameworks', d.name)).filter((f) => f.endsWith('.sh')).map((f) => join(ROOT, 'frameworks', d.name, f)));
  assert.ok(files.length >= 15, files.join(' '));
  for (const f of [...files, join(ROOT, 'templates/node/artifacts.sh')]) {
    const text = readFileSync(f, 'utf8');
    const stripped = stripComments(text);
    const r = spawnSync('bash', ['-n'], { input: stripped, encoding: 'utf8' });
    assert.equal(r.status, 0, `${f}: ${r.stderr}`);
    assert.ok(stripped.length < text.length, f);
  }
});
