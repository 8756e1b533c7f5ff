/**
 * CPU time of a local process's threads, from Linux's /proc: the main thread (its id is the
 * process id), the store's writer thread (found by its thread name) and the rest (V8's GC
 * helpers, libuv's pool). Lets the benchmark say which thread a server's CPU went to; where /proc
 * is missing it reads nothing and the report falls back to the process's total.
 */
import fs from 'node:fs';

/** CPU seconds per thread group. */
export interface ThreadCpu {
  mainS: number;
  writerS: number;
  otherS: number;
}

/** Clock ticks per second of /proc's utime and stime (USER_HZ: 100 on Linux's usual builds). */
const USER_HZ = 100;

/** utime + stime of one `/proc/<pid>/task/<tid>/stat` line, in seconds (the name may hold spaces and parentheses). */
export function statCpuSeconds(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
}

export function threadCpu(pid: number, writerName: string): ThreadCpu | null {
  const dir = `/proc/${pid}/task`;
  let tids: string[];
  try {
    tids = fs.readdirSync(dir);
  } catch {
    return null;
  }
  const out: ThreadCpu = { mainS: 0, writerS: 0, otherS: 0 };
  for (const tid of tids) {
    try {
      const s = statCpuSeconds(fs.readFileSync(`${dir}/${tid}/stat`, 'utf8'));
      if (tid === String(pid)) out.mainS += s;
      else if (fs.readFileSync(`${dir}/${tid}/comm`, 'utf8').trim() === writerName) out.writerS += s;
      else out.otherS += s;
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

export function addThreadCpu(a: ThreadCpu | null, b: ThreadCpu | null): ThreadCpu | null {
  if (!a || !b) return a ?? b;
  return { mainS: a.mainS + b.mainS, writerS: a.writerS + b.writerS, otherS: a.otherS + b.otherS };
}
