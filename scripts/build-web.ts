/**
 * Bundles the browser apps in web/ (player client and operator console) with esbuild into
 * web/dist: index.html, admin.html and assets/{player,admin}.js, assets/styles.css. Runs before
 * `npm start` (prestart) and in the browser tests' setup; `npm run build:web` runs it alone;
 * `npm run build` bundles into dist/web/dist (`--out`) beside the compiled server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const WEB = fileURLToPath(new URL('../web', import.meta.url));

export async function buildWeb(opts: { outDir?: string; minify?: boolean } = {}): Promise<string> {
  const outDir = opts.outDir ?? path.join(WEB, 'dist');
  const assets = path.join(outDir, 'assets');
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(assets, { recursive: true });
  await build({
    entryPoints: { player: path.join(WEB, 'player/main.ts'), admin: path.join(WEB, 'admin/main.ts') },
    outdir: assets,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    minify: opts.minify ?? true,
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  for (const file of ['index.html', 'admin.html']) fs.copyFileSync(path.join(WEB, file), path.join(outDir, file));
  fs.copyFileSync(path.join(WEB, 'styles.css'), path.join(assets, 'styles.css'));
  return outDir;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const started = Date.now();
  const out = process.argv.indexOf('--out');
  buildWeb(out > 0 && process.argv[out + 1] ? { outDir: path.resolve(process.argv[out + 1]) } : {}).then(
    (dir) => console.log(`web client built into ${path.relative(process.cwd(), dir)} in ${Date.now() - started} ms`),
    (err) => {
      console.error('web build failed:', err?.message ?? err);
      process.exit(1);
    },
  );
}
