// Reads the chatroom.* settings, with the defaults the manifest declares.
import { userInfo } from 'node:os';
import * as vscode from 'vscode';

export interface ChatSettings {
  readonly host: string;
  readonly port: number;
  readonly nickname: string;
  readonly serverHost: string;
  readonly serverPort: number;
}

function port(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535 ? value : fallback;
}

/**
 * A nickname IRC accepts, from a free-form name (RFC 2812 2.3.1: a letter or special first, then
 * letters, digits, specials or "-"). Servers announce their own length limit (NICKLEN); 30 is common.
 */
export function toNickname(name: string): string {
  let nick = name.normalize('NFKD').replace(/[^A-Za-z0-9[\]\\`_^{|}-]/g, '');
  if (/^[0-9-]/.test(nick)) nick = `_${nick}`;
  nick = nick.slice(0, 30);
  return nick || 'guest';
}

function osUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? process.env['USERNAME'] ?? '';
  }
}

export function readSettings(): ChatSettings {
  const c = vscode.workspace.getConfiguration('chatroom');
  const nickname = c.get<string>('nickname', '').trim();
  return {
    host: c.get<string>('host', '127.0.0.1').trim() || '127.0.0.1',
    port: port(c.get('port'), 6667),
    nickname: toNickname(nickname || osUserName()),
    serverHost: c.get<string>('server.host', '127.0.0.1').trim() || '127.0.0.1',
    serverPort: port(c.get('server.port'), 6667),
  };
}

/** Where to connect to reach a server listening on `host` (a wildcard address means this machine). */
export function connectHostFor(listenHost: string): string {
  if (listenHost === '0.0.0.0' || listenHost === '') return '127.0.0.1';
  if (listenHost === '::' || listenHost === '[::]') return '::1';
  return listenHost.replace(/^\[(.*)\]$/, '$1');
}
