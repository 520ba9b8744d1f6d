import { writeFileSync } from 'node:fs';
import { JSON_SCHEMA_FILES } from '../src/core/model/json-schemas.js';

for (const [path, render] of Object.entries(JSON_SCHEMA_FILES)) {
  writeFileSync(new URL(`../../${path}`, import.meta.url), render());
  process.stdout.write(`wrote ${path}\n`);
}
