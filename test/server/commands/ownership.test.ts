// Issue 11: an account's nick is refused at NICK time (433 at once), while NICK → AUTHENTICATE →
// CAP END still logs its owner in and a connection that only says NICK cannot squat the nick; and
// an invite to someone logged in is bound to their account, not to the nick they happened to use.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ERR_INVITEONLYCHAN, ERR_NICKNAMEINUSE, RPL_WELCOME } from '../../../src/protocol/numerics.ts';
import { IrcTestClient } from '../../helpers/index.ts';
import { harness, joinRoom, type Harness } from '../helpers.ts';

describe('nick ownership and invites', () => {
  let h: Harness;
  const account = async (nick: string, password: string) => {
    const c = await h.user(nick, { caps: ['draft/account-registration'] });
    c.send(`REGISTER * * ${password}`);
    assert.equal((await c.waitFor('REGISTER')).params[0], 'SUCCESS');
    c.send('QUIT');
    await c.closed;
  };
  before(async () => {
    h = await harness();
    await account('owner', 'owner-password');
    await account('robert', 'robert-password');
    await account('alice', 'alice-password');
  });
  after(async () => {
    await h.stop();
  });

  it('answers NICK <account> with 433 at once to a client that is not negotiating capabilities', async () => {
    const c = await h.connect();
    c.send('NICK owner'); // no USER yet
    const refused = await c.waitFor(ERR_NICKNAMEINUSE);
    assert.equal(refused.params[1], 'owner');
    assert.match(refused.params[2]!, /registered to account owner: log in \(SASL\) or choose another nick/);
    c.send('NICK someone');
    c.send('USER s 0 * :s');
    assert.equal((await c.waitFor(RPL_WELCOME)).params[0], 'someone');
  });

  it('lets NICK → AUTHENTICATE → CAP END log the owner in under that nick, and refuses it at CAP END without a login', async () => {
    const owner = await h.connect();
    await owner.register('owner', { sasl: { account: 'owner', password: 'owner-password' } });
    assert.equal(owner.messages.find((m) => m.command === RPL_WELCOME)?.params[0], 'owner');
    owner.send('QUIT');
    await owner.closed;
    const other = await h.connect();
    other.send('CAP LS 302');
    other.send('NICK owner');
    other.send('USER o 0 * :o');
    other.send('CAP END');
    assert.match((await other.waitFor(ERR_NICKNAMEINUSE)).params[2]!, /registered to account owner/);
  });

  it('does not let a connection that stops after NICK hold an account nick against its owner', async () => {
    const squatter = await h.connect();
    squatter.send('CAP LS 302');
    squatter.send('NICK owner');
    squatter.send('USER sq 0 * :sq');
    await squatter.sync();
    const owner = await h.connect();
    await owner.register('owner', { sasl: { account: 'owner', password: 'owner-password' } });
    assert.equal(owner.messages.find((m) => m.command === RPL_WELCOME)?.params[0], 'owner');
    squatter.send('CAP END');
    await squatter.waitFor(ERR_NICKNAMEINUSE);
  });

  it('binds an invite to the invitee\'s account (or connection): someone else taking their nick cannot use it', async () => {
    const alice = await h.connect();
    await alice.register('alice', { sasl: { account: 'alice', password: 'alice-password' } });
    await joinRoom(alice, '#inner');
    alice.send('MODE #inner +i');
    await alice.waitFor('MODE');
    // robert's account, under the nick bob (a nick that is no account's, so anyone may take it).
    const robert = await h.connect();
    await robert.register('bob', { sasl: { account: 'robert', password: 'robert-password' } });
    alice.send('INVITE bob #inner');
    await robert.waitFor('INVITE');
    robert.send('QUIT');
    await robert.closed;
    await alice.sync();

    const mallory = await h.user('bob');
    mallory.send('JOIN #inner');
    await mallory.waitFor(ERR_INVITEONLYCHAN);
    mallory.send('QUIT');
    await mallory.closed;

    // Without an account, an invite is bound to the connection it was sent to.
    const guest = await h.user('guest');
    alice.send('INVITE guest #inner');
    await guest.waitFor('INVITE');
    guest.send('QUIT');
    await guest.closed;
    await alice.sync();
    const impostor = await h.user('guest');
    impostor.send('JOIN #inner');
    await impostor.waitFor(ERR_INVITEONLYCHAN);

    const back = await IrcTestClient.connect(h.srv.port);
    await back.register('bob', { sasl: { account: 'robert', password: 'robert-password' } });
    await joinRoom(back, '#inner');
    back.destroy();
  });
});
