// Issue 11: --min-password-length sets the policy, and REGISTER's error and HELP REGISTER name the minimum.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { harness } from '../helpers.ts';

describe('--min-password-length', () => {
  it('refuses a shorter password with an error that names the minimum, and takes one that long', async () => {
    const h = await harness({ args: ['--min-password-length', '12'] });
    try {
      const c = await h.user('policy', { caps: ['draft/account-registration'] });
      c.send('REGISTER * * elevenchars');
      const weak = await c.waitFor((m) => m.command === 'FAIL' && m.params[1] === 'WEAK_PASSWORD');
      assert.equal(weak.params.at(-1), 'Passwords need at least 12 characters on this server');
      c.send('HELP REGISTER');
      const help = await c.collectUntil((m) => m.command === '706');
      assert.ok(help.some((m) => m.command === '705' && m.params.at(-1) === 'passwords need 12 characters or more. Log in later with SASL PLAIN.'), 'HELP names this server\'s minimum');
      c.send('REGISTER * * twelve-chars');
      assert.equal((await c.waitFor('REGISTER')).params[0], 'SUCCESS');
    } finally {
      await h.stop();
    }
  });

  it('defaults to 8', async () => {
    const h = await harness();
    try {
      const c = await h.user('short', { caps: ['draft/account-registration'] });
      c.send('REGISTER * * seven77');
      assert.match((await c.waitFor('FAIL')).params.at(-1)!, /at least 8 characters/);
      c.send('REGISTER * * eight888');
      assert.equal((await c.waitFor('REGISTER')).params[0], 'SUCCESS');
    } finally {
      await h.stop();
    }
  });
});
