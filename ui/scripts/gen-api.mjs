// npm run gen:api [-- --from http://127.0.0.1:PORT/]
//
// Regenerates src/api/schema.d.ts from src/api/openapi.json. With --from, first fetches the
// OpenAPI document from a running `guildhall serve` and writes it to src/api/openapi.json
// (until `cargo xtask openapi` writes that file from the Rust side).
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { generate } from './gen-api-lib.mjs';

const root = fileURLToPath(new URL('../src/api/', import.meta.url));
const args = process.argv.slice(2);
const from = args.indexOf('--from');
if (from >= 0) {
  const base = args[from + 1];
  if (!base) throw new Error('--from needs the server URL, e.g. http://127.0.0.1:7878/');
  const res = await fetch(new URL('/api/openapi.json', base));
  if (!res.ok) throw new Error(`GET /api/openapi.json: ${res.status}`);
  const doc = await res.json();
  await writeFile(root + 'openapi.json', JSON.stringify(doc, null, 2) + '\n');
  console.log('wrote src/api/openapi.json');
}
const doc = JSON.parse(await readFile(root + 'openapi.json', 'utf8'));
await writeFile(root + 'schema.d.ts', await generate(doc));
console.log('wrote src/api/schema.d.ts');
