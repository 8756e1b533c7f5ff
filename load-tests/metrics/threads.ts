/**
 * CPU time of a local process's threads, from Linux's /proc: the main thread (its id is the
 * process id), the store's writer thread (found by its thread name) and the rest (V8's GC
 * helpers, libuv's pool). Lets the benchmark say which thread a server's CPU went to; where /proc
 * is missing it reads nothing and the report falls back to the process's total.
 */
import fs from 'node:fs';

/** CPU seconds per thread group, and seconds the main and writer threads waited runnable for a free core. */
export interface ThreadCpu {
  mainS: number;
  writerS: number;
  otherS: number;
  /** Run-queue wait (`schedstat`): ready to run, no core free — the machine's limit, not the thread's. */
  mainQueuedS: number;
  writerQueuedS: number;
}

/** Clock ticks per second of /proc's utime and stime (USER_HZ: 100 on Linux's usual builds). */
const USER_HZ = 100;

/** utime + stime of one `/proc/<pid>/task/<tid>/stat` line, in seconds (the name may hold spaces and parentheses). */
export function statCpuSeconds(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
}

/** [on-CPU, run-queue wait] seconds of one `/proc/<pid>/task/<tid>/schedstat` line (nanoseconds). */
export function schedstatSeconds(line: string): [number, number] {
  const [run, wait] = line.trim().split(/\s+/).map(Number);
  return [(run ?? 0) / 1e9, (wait ?? 0) / 1e9];
}

function readThread(dir: string, tid: string): [number, number] {
  try {
    return schedstatSeconds(fs.readFileSync(`${dir}/${tid}/schedstat`, 'utf8'));
  } catch {
    // no schedstat in this kernel: CPU from stat (clock ticks), no wait
    return [statCpuSeconds(fs.readFileSync(`${dir}/${tid}/stat`, 'utf8')), 0];
  }
}

export function threadCpu(pid: number, writerName: string): ThreadCpu | null {
  const dir = `/proc/${pid}/task`;
  let tids: string[];
  try {
    tids = fs.readdirSync(dir);
  } catch {
    return null;
  }
  const out: ThreadCpu = { mainS: 0, writerS: 0, otherS: 0, mainQueuedS: 0, writerQueuedS: 0 };
  for (const tid of tids) {
    try {
      const [s, queued] = readThread(dir, tid);
      if (tid === String(pid)) {
        out.mainS += s;
        out.mainQueuedS += queued;
      } else if (fs.readFileSync(`${dir}/${tid}/comm`, 'utf8').trim() === writerName) {
        out.writerS += s;
        out.writerQueuedS += queued;
      } else out.otherS += s;
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

export function addThreadCpu(a: ThreadCpu | null, b: ThreadCpu | null): ThreadCpu | null {
  if (!a || !b) return a ?? b;
  return { mainS: a.mainS + b.mainS, writerS: a.writerS + b.writerS, otherS: a.otherS + b.otherS, mainQueuedS: a.mainQueuedS + b.mainQueuedS, writerQueuedS: a.writerQueuedS + b.writerQueuedS };
}
