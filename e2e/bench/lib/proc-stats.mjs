import { readdirSync, readFileSync } from 'node:fs';

// Linux only: CPU and memory of the processes under test, read from /proc.
const TICKS_PER_SECOND = 100; // USER_HZ (`getconf CLK_TCK`) on Linux

/** CPU time (user + system, all threads) of a process in seconds; 0 when it is gone. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces: the fields after it start behind the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime
  } catch {
    return 0;
  }
}

/** Resident memory of a process in bytes (VmRSS). */
export function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb[1]) * 1024;
}

/** Open file descriptors of a process (sockets included). */
export function openFds(pid) {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** PostgreSQL backends serving `database` (their title is `postgres: <user> <database> <client> <state>`). */
export function postgresBackends(database) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (title.startsWith('postgres: ') && title.split(' ').includes(database)) pids.push(Number(entry));
    } catch {
      // The process ended while the list was read.
    }
  }
  return pids;
}

/** Busy and total CPU time of the whole machine, in ticks, from /proc/stat. */
function machineTicks() {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3] + cpu[4]; // idle + iowait
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/**
 * Measures the CPU used between `start()` and `stop()` by groups of processes, e.g.
 * `{ server: () => [pid], postgres: () => postgresBackends(db) }`, as a percentage of one core,
 * plus the whole machine's busy share of all its cores.
 */
export function cpuMeter(groups) {
  const sample = () => ({
    at: performance.now(),
    machine: machineTicks(),
    groups: Object.fromEntries(
      Object.entries(groups).map(([name, pids]) => [name, new Map(pids().map((pid) => [pid, cpuSeconds(pid)]))]),
    ),
  });
  let first = null;
  return {
    start() {
      first = sample();
    },
    stop() {
      const last = sample();
      const seconds = (last.at - first.at) / 1000;
      const usage = {};
      for (const [name, after] of Object.entries(last.groups)) {
        let used = 0;
        // A process that started during the interval counts in full; one that ended is not seen.
        for (const [pid, cpu] of after) used += cpu - (first.groups[name].get(pid) ?? 0);
        usage[name] = round((used / seconds) * 100);
      }
      const machine = (last.machine.busy - first.machine.busy) / (last.machine.total - first.machine.total);
      return { ...usage, machineBusy: round(machine * 100) };
    },
  };
}

const round = (n) => Math.round(n * 10) / 10;
