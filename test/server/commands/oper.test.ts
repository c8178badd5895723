// Server operators (admins): OPER with --oper credentials, KILL, moderating any room, and the
// refusals for everyone else (481, 464).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ERR_NOPRIVILEGES,
  ERR_NOSUCHNICK,
  ERR_PASSWDMISMATCH,
  RPL_WHOISOPERATOR,
  RPL_YOUREOPER,
} from '../../../src/protocol/numerics.ts';
import { harness, joinRoom, type Harness } from '../helpers.ts';

describe('server operators', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ args: ['--oper', 'admin:topsecret', '--oper', 'second:other'] });
  });
  after(async () => {
    await h.stop();
  });

  it('OPER needs the configured credentials', async () => {
    const u = await h.user('wannabe');
    u.send('OPER admin wrong');
    await u.waitFor(ERR_PASSWDMISMATCH);
    u.send('OPER nobody topsecret');
    await u.waitFor(ERR_PASSWDMISMATCH);
    u.send('KILL someone :no');
    await u.waitFor(ERR_NOPRIVILEGES);
    u.send('OPER second other');
    await u.waitFor(RPL_YOUREOPER);
    const m = await u.waitFor('MODE');
    assert.deepEqual(m.params, ['wannabe', '+o']);
    u.send('WHOIS wannabe');
    await u.waitFor(RPL_WHOISOPERATOR);
    u.send('MODE wannabe -o');
    await u.waitFor((x) => x.command === 'MODE' && x.params[1] === '-o');
    u.send('KILL someone :no');
    await u.waitFor(ERR_NOPRIVILEGES);
  });

  it('an admin moderates any room and KILLs', async () => {
    const admin = await h.user('boss');
    admin.send('OPER admin topsecret');
    await admin.waitFor(RPL_YOUREOPER);
    const owner = await h.user('roomowner');
    const troll = await h.user('troll');
    await joinRoom(owner, '#someroom');
    await joinRoom(troll, '#someroom');
    await joinRoom(admin, '#someroom');
    admin.send('TOPIC #someroom :set by the admin');
    await owner.waitFor((m) => m.command === 'TOPIC' && m.params[1] === 'set by the admin');
    admin.send('MODE #someroom +m');
    await owner.waitFor((m) => m.command === 'MODE' && m.params[1] === '+m');
    admin.send('KICK #someroom troll :out');
    await troll.waitFor('KICK');
    admin.send('KILL ghost :x');
    await admin.waitFor(ERR_NOSUCHNICK);
    admin.send('KILL troll :enough');
    const err = await troll.waitFor('ERROR');
    assert.match(err.params[0]!, /Killed \(boss \(enough\)\)/);
    await troll.closed;
    const another = await h.user('watchkill');
    await joinRoom(another, '#killroom');
    const victim = await h.user('victim2');
    await joinRoom(victim, '#killroom');
    admin.send('KILL victim2 :bye');
    const q = await another.waitFor('QUIT');
    assert.ok(q.source?.startsWith('victim2!'));
    assert.match(q.params[0]!, /Killed/);
  });
});
