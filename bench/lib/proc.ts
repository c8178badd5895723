// Reads a server's CPU time and resident memory from /proc, so each server is measured the
// same way whatever it is written in.

import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

let clockTicks = 0;

/** Kernel clock ticks per second (USER_HZ) for /proc/PID/stat times. */
export function clkTck(): number {
  if (clockTicks === 0) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** User and system CPU milliseconds used so far by `pid` (all threads). */
export function cpuSplitMs(pid: number): { user: number; system: number } {
  return statSplitMs(`/proc/${pid}/stat`);
}

function statCpuMs(file: string): number {
  const { user, system } = statSplitMs(file);
  return user + system;
}

/** utime and stime of a /proc stat file (a process's, all threads; or one task's) in ms. */
function statSplitMs(file: string): { user: number; system: number } {
  try {
    const stat = readFileSync(file, 'latin1');
    // Fields after the ")" that ends the command name; utime and stime are fields 14 and 15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const toMs = 1000 / clkTck();
    return { user: Number(rest[11]) * toMs, system: Number(rest[12]) * toMs };
  } catch {
    return { user: Number.NaN, system: Number.NaN };
  }
}

/**
 * User + system CPU milliseconds used so far by the process's first thread alone (its event loop,
 * for a Node server; /proc/PID/task/PID/stat), so the rest of `cpuMs(pid)` is its other threads'.
 */
export function mainThreadCpuMs(pid: number): number {
  return statCpuMs(`/proc/${pid}/task/${pid}/stat`);
}

/** User + system CPU milliseconds used so far by `pid` (all threads). */
export function cpuMs(pid: number): number {
  const { user, system } = cpuSplitMs(pid);
  return user + system;
}

/** A field of /proc/PID/status in KiB (VmRSS, VmHWM), or NaN when the process is gone. */
export function statusKiB(pid: number, field: 'VmRSS' | 'VmHWM' | 'RssAnon'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return m ? Number(m[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * The largest open-file limit a child can be given, up to `want`: past this process's hard limit
 * only with CAP_SYS_RESOURCE (root in a container may lack it), which a trial `prlimit` tells.
 */
export function reachableNofile(want: number): number {
  const { hard } = fdLimits();
  if (want <= hard) return want;
  return spawnSync('prlimit', [`--nofile=${want}:${want}`, 'true'], { stdio: 'ignore' }).status === 0 ? want : hard;
}

/** Ephemeral ports one source address has towards one server port (net.ipv4.ip_local_port_range). */
export function ephemeralPorts(): number {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'latin1').trim().split(/\s+/).map(Number);
    if (low !== undefined && high !== undefined && high >= low) return high - low + 1;
  } catch {
    // Not Linux: the IANA range.
  }
  return 65535 - 49152 + 1;
}

/** Soft and hard open-file limits of this process. */
export function fdLimits(): { soft: number; hard: number } {
  try {
    const limits = readFileSync('/proc/self/limits', 'latin1');
    const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(limits);
    const n = (s: string | undefined): number => (s === 'unlimited' || s === undefined ? 1 << 30 : Number(s));
    return m ? { soft: n(m[1]), hard: n(m[2]) } : { soft: 1024, hard: 1024 };
  } catch {
    return { soft: 1024, hard: 1024 };
  }
}

/** 1-minute load average and CPU pressure ("some", 10 s average, %): how busy the machine was. */
export function machineLoad(): { loadavg1: number; cpuPressurePct: number } {
  let loadavg1 = Number.NaN;
  let cpuPressurePct = Number.NaN;
  try {
    loadavg1 = Number(readFileSync('/proc/loadavg', 'latin1').split(' ')[0]);
  } catch {
    // Not Linux.
  }
  try {
    const m = /some avg10=([\d.]+)/.exec(readFileSync('/proc/pressure/cpu', 'latin1'));
    if (m) cpuPressurePct = Number(m[1]);
  } catch {
    // No PSI in this kernel.
  }
  return { loadavg1, cpuPressurePct };
}

/**
 * Starts a new peak-memory window: writing 5 to /proc/PID/clear_refs sets the process's VmHWM
 * back to its current RSS (Linux ≥ 4.0; the owner or root only). False when that is not allowed:
 * VmHWM then still holds the peak since the process started.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
