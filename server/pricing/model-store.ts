/**
 * Versioned model files: `<dir>/model-<version>.json`, and `current.json` naming the version in
 * use. Writes go to a temporary file renamed into place, so a reader never sees half a file. At
 * most `keep` model files are kept (the current one always).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PricingModel } from '../../actors/odds/index.ts';

const VERSION = /^[A-Za-z0-9._-]{1,64}$/;

export class ModelStore {
  constructor(
    readonly dir: string,
    private readonly keep = 20,
  ) {}

  private file(version: string): string {
    if (!VERSION.test(version)) throw new Error(`model store: bad version ${JSON.stringify(version)}`);
    return path.join(this.dir, `model-${version}.json`);
  }

  private writeAtomically(file: string, text: string): void {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  }

  /** Writes the model and makes it current; returns its file. */
  save(model: PricingModel): string {
    fs.mkdirSync(this.dir, { recursive: true });
    const file = this.file(model.version);
    this.writeAtomically(file, `${JSON.stringify(model, null, 1)}\n`);
    this.writeAtomically(path.join(this.dir, 'current.json'), `${JSON.stringify({ version: model.version })}\n`);
    this.prune(model.version);
    return file;
  }

  /** The current model, or null when there is none (or it cannot be read). */
  current(): PricingModel | null {
    try {
      const { version } = JSON.parse(fs.readFileSync(path.join(this.dir, 'current.json'), 'utf8')) as { version: string };
      return this.read(version);
    } catch {
      return null;
    }
  }

  read(version: string): PricingModel | null {
    try {
      const model = JSON.parse(fs.readFileSync(this.file(version), 'utf8')) as PricingModel;
      return model.version === version && model.leagues && typeof model.leagues === 'object' ? model : null;
    } catch {
      return null;
    }
  }

  /** Versions on disk, oldest first (by file time). */
  versions(): string[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs
      .readdirSync(this.dir)
      .filter((f) => f.startsWith('model-') && f.endsWith('.json'))
      .map((f) => ({ version: f.slice(6, -5), at: fs.statSync(path.join(this.dir, f)).mtimeMs }))
      .sort((a, b) => a.at - b.at || a.version.localeCompare(b.version))
      .map((v) => v.version);
  }

  private prune(current: string): void {
    const versions = this.versions().filter((v) => v !== current);
    for (const v of versions.slice(0, Math.max(0, versions.length - (this.keep - 1)))) fs.rmSync(this.file(v), { force: true });
  }
}
