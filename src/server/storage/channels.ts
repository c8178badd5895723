// Registered channels (rooms whose founder was logged in): their topic, modes, key and limit,
// the persistent roles of accounts in them, and their ban list. All survive a restart.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { fold } from './keys.ts';
import type { ChannelBan, ChannelInput, ChannelRecord, ChannelRole, ChannelStore } from './types.ts';

interface ChannelRow {
  name: string;
  display_name: string;
  founder: string;
  topic: string | null;
  topic_set_by: string | null;
  topic_time: number | null;
  modes: string;
  chan_key: string | null;
  user_limit: number | null;
  created_at: number;
}

function toRecord(r: ChannelRow): ChannelRecord {
  return {
    name: r.name,
    displayName: r.display_name,
    founder: r.founder,
    topic: r.topic,
    topicSetBy: r.topic_set_by,
    topicTime: r.topic_time,
    modes: r.modes,
    key: r.chan_key,
    limit: r.user_limit,
    createdAt: r.created_at,
  };
}

export class SqliteChannelStore implements ChannelStore {
  private readonly upsert: StatementSync;
  private readonly getOne: StatementSync;
  private readonly getAll: StatementSync;
  private readonly del: StatementSync;
  private readonly roleSet: StatementSync;
  private readonly roleDel: StatementSync;
  private readonly roleList: StatementSync;
  private readonly banAdd: StatementSync;
  private readonly banDel: StatementSync;
  private readonly banList: StatementSync;

  constructor(db: DatabaseSync) {
    this.upsert = db.prepare(
      `INSERT INTO channels (name, display_name, founder, topic, topic_set_by, topic_time, modes, chan_key, user_limit, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET display_name = excluded.display_name, founder = excluded.founder, topic = excluded.topic,
         topic_set_by = excluded.topic_set_by, topic_time = excluded.topic_time, modes = excluded.modes,
         chan_key = excluded.chan_key, user_limit = excluded.user_limit
       RETURNING *`,
    );
    this.getOne = db.prepare('SELECT * FROM channels WHERE name = ?');
    this.getAll = db.prepare('SELECT * FROM channels ORDER BY name');
    this.del = db.prepare('DELETE FROM channels WHERE name = ?');
    this.roleSet = db.prepare(
      'INSERT INTO channel_roles (channel, account, role) VALUES (?, ?, ?) ON CONFLICT (channel, account) DO UPDATE SET role = excluded.role',
    );
    this.roleDel = db.prepare('DELETE FROM channel_roles WHERE channel = ? AND account = ?');
    this.roleList = db.prepare('SELECT account, role FROM channel_roles WHERE channel = ? ORDER BY account');
    this.banAdd = db.prepare(
      'INSERT INTO channel_bans (channel, mask_folded, mask, set_by, set_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.banDel = db.prepare('DELETE FROM channel_bans WHERE channel = ? AND mask_folded = ?');
    this.banList = db.prepare('SELECT mask, set_by, set_at FROM channel_bans WHERE channel = ? ORDER BY set_at, mask_folded');
  }

  saveChannel(c: ChannelInput): ChannelRecord {
    const row = this.upsert.get(
      fold(c.name),
      c.displayName ?? c.name,
      fold(c.founder),
      c.topic,
      c.topicSetBy,
      c.topicTime,
      c.modes,
      c.key,
      c.limit,
      c.createdAt ?? Date.now(),
    ) as unknown as ChannelRow;
    return toRecord(row);
  }

  getChannel(name: string): ChannelRecord | null {
    const r = this.getOne.get(fold(name)) as ChannelRow | undefined;
    return r ? toRecord(r) : null;
  }

  listChannels(): ChannelRecord[] {
    return (this.getAll.all() as unknown as ChannelRow[]).map(toRecord);
  }

  deleteChannel(name: string): boolean {
    return Number(this.del.run(fold(name)).changes) > 0;
  }

  setRole(channel: string, account: string, role: ChannelRole | null): void {
    if (role === null) this.roleDel.run(fold(channel), fold(account));
    else this.roleSet.run(fold(channel), fold(account), role);
  }

  listRoles(channel: string): { account: string; role: ChannelRole }[] {
    return (this.roleList.all(fold(channel)) as { account: string; role: ChannelRole }[]).map((r) => ({ account: r.account, role: r.role }));
  }

  addBan(channel: string, ban: ChannelBan): void {
    this.banAdd.run(fold(channel), fold(ban.mask), ban.mask, ban.setBy, ban.time);
  }

  removeBan(channel: string, mask: string): boolean {
    return Number(this.banDel.run(fold(channel), fold(mask)).changes) > 0;
  }

  listBans(channel: string): ChannelBan[] {
    return (this.banList.all(fold(channel)) as { mask: string; set_by: string; set_at: number }[]).map((r) => ({
      mask: r.mask,
      setBy: r.set_by,
      time: r.set_at,
    }));
  }

}
