export function bundleNodeFlags(script: string): string[];
export function serverCommand(root: string, serverArgs: readonly string[]): [string, string[]];
export function runForeground(root: string, serverArgs: readonly string[]): import('node:child_process').ChildProcess;
