// Reads the chatroom.* settings through VS Code and tells the user about refused values, with an
// "Open Settings" action. The rules themselves are pure: src/extension/chat/settings.ts.
import { userInfo } from 'node:os';
import * as vscode from 'vscode';
import { readChatSettings, userOnlyValue, USER_ONLY_SETTINGS, type ChatSettings, type SettingProblem } from '../chat/settings.ts';
import { plainMessage } from '../plainText.ts';

export type { ChatSettings } from '../chat/settings.ts';

function osUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? process.env['USERNAME'] ?? '';
  }
}

/** The problems already shown, so one bad value is reported once per change, not on every read. */
const reported = new Set<string>();

export function readSettings(options: { report?: boolean } = { report: true }): ChatSettings {
  const c = vscode.workspace.getConfiguration('chatroom');
  const get = (key: string): unknown => (USER_ONLY_SETTINGS.has(key) ? userOnlyValue(c.inspect(key)) : c.get(key));
  const { settings, problems } = readChatSettings(get, osUserName());
  if (options.report !== false) reportProblems(problems);
  return settings;
}

export function reportProblems(problems: readonly SettingProblem[]): void {
  for (const p of problems) {
    if (reported.has(p.message)) continue;
    reported.add(p.message);
    // The message quotes the value, which may come from a cloned repository's settings.
    void vscode.window.showWarningMessage(plainMessage(`Chat: ${p.message}`), 'Open Settings').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', p.setting);
    });
  }
}

/** A setting changed: show its problems again if it is still wrong. */
export function forgetReported(): void {
  reported.clear();
}

export function openSettings(setting = 'chatroom'): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', setting);
}
