/**
 * schemas/*.schema.json are generated from the zod schemas that also give the TypeScript types, so
 * they cannot drift: this test regenerates them (`npm run schemas` rewrites the files) and also
 * validates real events and decisions against the zod schemas.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DecisionSchema } from '../../src/core/model/decision.js';
import { JSON_SCHEMA_FILES } from '../../src/core/model/json-schemas.js';
import { ShipmentEventSchema } from '../../src/core/model/shipment-event.js';

describe('JSON Schemas', () => {
  it.each(Object.keys(JSON_SCHEMA_FILES))('%s matches the zod schema', (path) => {
    expect(readFileSync(path, 'utf8')).toBe(JSON_SCHEMA_FILES[path]?.());
  });

  it('every golden shipment event validates against the schema', () => {
    const files = ['fixtures/x12/309/truck-s321', 'fixtures/x12/350/truck-arrival', 'fixtures/edifact/cuscar/ocean-et86', 'fixtures/edifact/cusres/arrivals'];
    let n = 0;
    for (const dir of files) {
      for (const line of readFileSync(`${dir}/expected-events.jsonl`, 'utf8').trim().split('\n')) {
        if (line === '') continue;
        expect(ShipmentEventSchema.safeParse(JSON.parse(line)).error).toBeUndefined();
        n += 1;
      }
    }
    expect(n).toBeGreaterThan(5);
  });

  it('every golden decision validates against the schema', () => {
    const lines = readFileSync('fixtures/golden/replay/decisions.jsonl', 'utf8').trim().split('\n');
    for (const line of lines) expect(DecisionSchema.safeParse(JSON.parse(line)).error).toBeUndefined();
    expect(lines.length).toBe(13);
  });
});
