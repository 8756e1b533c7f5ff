import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A temp directory for one suite's database files, removed by `cleanup`. */
export function makeTempDir(label: string): { dir: string; file: (name: string) => string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `casino-${label}-`));
  let n = 0;
  return {
    dir,
    file: (name: string) => path.join(dir, `${name}-${n++}.db`),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
