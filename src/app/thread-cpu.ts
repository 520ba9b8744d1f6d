/**
 * CPU time of the calling thread, ms, from Linux's /proc/thread-self/stat (utime + stime, in clock
 * ticks of 10 ms): how much each of the replay's threads computes, which event-loop utilization
 * cannot tell on a shared machine (a thread waiting for a core still counts as busy there). Node 20
 * has no per-thread CPU clock (process.threadCpuUsage is Node 23). `undefined` elsewhere.
 */
import { readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on every Linux Node supports

export function threadCpuMs(): number | undefined {
  let stat: string;
  try {
    stat = readFileSync('/proc/thread-self/stat', 'latin1');
  } catch {
    return undefined;
  }
  // Fields after the command name (which may hold spaces, in parentheses): state is field 3,
  // utime field 14, stime field 15.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) * TICK_MS : undefined;
}
