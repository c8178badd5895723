// --admin-contact (shown by ADMIN's 259), and the README's "### Flags" block: it must list exactly
// the flag lines --help prints, so the documentation cannot drift from the parser's table.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { helpText, isArgsError, parseArgs } from '../../../src/server/config/index.ts';
import { ROOT } from '../../helpers/index.ts';

describe('config: --admin-contact', () => {
  it('is null by default and takes any one-line text', () => {
    const none = parseArgs([]);
    assert.ok(!isArgsError(none) && !('help' in none));
    assert.equal(none.adminContact, null);
    const set = parseArgs(['--admin-contact', 'Ops team <ops@example.org>']);
    assert.ok(!isArgsError(set) && !('help' in set));
    assert.equal(set.adminContact, 'Ops team <ops@example.org>');
    const eq = parseArgs(['--admin-contact=#ops on this server']);
    assert.ok(!isArgsError(eq) && !('help' in eq));
    assert.equal(eq.adminContact, '#ops on this server');
  });

  it('refuses an empty, multi-line or over-long contact with one clear line', () => {
    for (const bad of ['', '   ', 'a\nb', 'x'.repeat(301)]) {
      const r = parseArgs([`--admin-contact=${bad}`]);
      assert.ok(isArgsError(r), JSON.stringify(bad));
      assert.match(r.error, /^--admin-contact must be 1 to 300 characters on one line/);
      assert.doesNotMatch(r.error.replace(bad, ''), /\n/);
    }
  });
});

describe('README', () => {
  it('"### Flags" lists exactly the flags --help prints', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /### Flags\n\n```text\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(block !== undefined, 'README has a ### Flags block');
    const flagRows = helpText
      .split('\n')
      .filter((l) => l.startsWith('  --'))
      .map((l) => l.slice(2));
    assert.equal(block, `${flagRows.join('\n')}\n`);
  });
});
