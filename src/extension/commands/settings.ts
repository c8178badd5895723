// Reads the chatroom.* settings, with the defaults the manifest declares.
import { userInfo } from 'node:os';
import * as vscode from 'vscode';
import { toNickname } from './names.ts';

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
