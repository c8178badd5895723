// Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time,
// so `npm run bench -- --profile` points at the hot path without opening DevTools.

import { readFileSync } from 'node:fs';

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
};

type Profile = { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] };

export type HotFunction = { name: string; where: string; selfPct: number };

export function topSelfTime(file: string, n = 15): HotFunction[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const self = new Map<string, { name: string; where: string; hits: number }>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    const where = url ? `${url.replace(/^.*\/(dist|src|node_modules)\//, '$1/')}:${lineNumber + 1}` : '';
    const key = `${name}@${where}`;
    const entry = self.get(key) ?? { name, where, hits: 0 };
    entry.hits += hits;
    self.set(key, entry);
    total += hits;
  }
  return [...self.values()]
    .sort((a, b) => b.hits - a.hits)
    .slice(0, n)
    .map((e) => ({ name: e.name, where: e.where, selfPct: Math.round((e.hits / Math.max(1, total)) * 1000) / 10 }));
}
