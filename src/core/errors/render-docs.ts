/** Renders docs/errors.md from the code registry (test/errors/registry.test.ts keeps them in step). */
import { CODES, type CodeSpec } from './registry.js';

export function renderErrorDocs(): string {
  const rows = (Object.entries(CODES) as Array<[string, CodeSpec]>).sort(([a], [b]) => (a < b ? -1 : 1));
  const lines = [
    '# Error and warning codes',
    '',
    'Generated from `src/core/errors/` by `npm run docs:errors`; a test fails when this file and the registry differ.',
    'Codes are stable: a retired code is never reused. `retryable` means the same input may succeed later',
    '(adapter faults); input problems are never retried and go to quarantine / the dead-letter queue.',
    '',
    '| code | stage | severity | retryable | acknowledgment | meaning |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      ([code, s]) =>
        `| \`${code}\` | ${s.stage} | ${s.severity} | ${s.retryable ? 'yes' : 'no'} | ${s.ack ?? ''} | ${s.summary.replace(/\|/g, '\\|')} |`,
    ),
    '',
  ];
  return lines.join('\n');
}
