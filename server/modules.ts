/**
 * Where a module's siblings are at run time: `.ts` when running from source (tsx: `npm start`,
 * tests), `.js` when running the build (`node dist/server/main.js`). For what import rewriting
 * cannot see, such as a worker thread's entry file.
 */
export function siblingModule(name: string, base: string): URL {
  return new URL(`./${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);
}
