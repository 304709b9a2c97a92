// Bundles the compiled program (dist/, from tsc) with its dependencies into a few files, in place
// (run by "npm run build" after tsc). Node spent ~0.1 s of every command's start resolving and
// loading hundreds of small ES modules (zod alone is many); bundled, `dunning --version` took 0.18 s
// instead of 0.25, and an import of a tiny file 0.24 s instead of 0.32.
//
// The entry points keep their names and folders (dist/cli.js, and the worker threads' files that
// src/paths.ts names), so bin/dunning and the tests run the bundle. Code an entry loads later (a
// command's heavy parts) becomes a chunk beside dist/cli.js, loaded when it is imported, as before.
// Everything that finds files from its own place (src/paths.ts, cli.ts's package.json) lands in a
// file at dist/'s top, where it was. Left outside: better-sqlite3 (a native addon, found at run
// time), pg (the PostgreSQL driver: loaded only with a postgres:// --db, and its optional native
// binding is found at run time too) and the two provider SDKs, which the program loads through
// createRequire when it needs them.
import { readdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunks are named by their content's hash: those of an earlier build would pile up beside the new ones.
for (const file of readdirSync('dist')) if (/^[\w-]+-[A-Z0-9]{8}\.js(\.map)?$/.test(file)) rmSync(`dist/${file}`);

await build({
  entryPoints: ['dist/cli.js', 'dist/import/parallel/parse-worker.js', 'dist/channels/smtp/compose-worker.js'],
  outdir: 'dist',
  outbase: 'dist',
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3', 'pg', 'pdfkit', '@mailchimp/mailchimp_marketing', 'node-mailjet'],
  // CommonJS dependencies call require() for Node's own modules; an ES module has none of its own.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
});
