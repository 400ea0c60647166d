// @vitest-environment node
// schema.d.ts must be what `npm run gen:api` makes from openapi.json: a stale file fails here.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generate } from '../scripts/gen-api-lib.mjs';

const dir = fileURLToPath(new URL('../src/api/', import.meta.url));

describe('generated API types', () => {
  it('schema.d.ts is up to date with openapi.json (run `npm run gen:api`)', async () => {
    const doc = JSON.parse(readFileSync(dir + 'openapi.json', 'utf8'));
    const fresh: string = await generate(doc);
    const checkedIn = readFileSync(dir + 'schema.d.ts', 'utf8');
    expect(checkedIn === fresh, 'src/api/schema.d.ts is stale: run `npm run gen:api`').toBe(true);
  });
});
