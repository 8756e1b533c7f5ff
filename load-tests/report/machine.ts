/** The machine a run or benchmark came from, for the report. */
import fs from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGB: number;
  platform: string;
  node: string;
  openFilesLimit: number | null;
}

export function machineInfo(): MachineInfo {
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    openFilesLimit: openFilesLimit(),
  };
}

/** RLIMIT_NOFILE of this process (Linux), which caps the sockets one process can hold. */
export function openFilesLimit(pid: number | 'self' = 'self'): number | null {
  try {
    const limits = fs.readFileSync(`/proc/${pid}/limits`, 'utf8');
    const m = /Max open files\s+(\d+)/.exec(limits);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
