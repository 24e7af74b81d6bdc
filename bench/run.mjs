#!/usr/bin/env node
// `npm run bench [-- name...]`: runs the named benchmarks (all when none is named). Each prints
// its figures beside a baseline measured in the same run, as a ratio, and writes JSON to
// bench/results/.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .map((f) => f.replace('.bench.mjs', ''));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : available;
for (const name of names) {
  if (!available.includes(name)) {
    console.error(`unknown benchmark "${name}"; available: ${available.join(', ')}`);
    process.exit(2);
  }
}
mkdirSync(join(here, 'results'), { recursive: true });
for (const name of names) {
  console.log(`\n== bench: ${name}`);
  const { run } = await import(pathToFileURL(join(here, `${name}.bench.mjs`)).href);
  const result = await run();
  writeFileSync(join(here, 'results', `${name}.json`), JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2));
}
