/**
 * Golden runner: every fixtures/{x12/309,x12/350,edifact/cuscar,edifact/cusres}/<case>/input.edi goes
 * through the real reader and the normalizers; the events must equal expected-events.jsonl and the
 * message results, rejections and issues expected-outcome.jsonl. UPDATE_GOLDEN=1 rewrites both.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ShipmentEventSchema } from '../../src/core/model/shipment-event.js';
import { context, type FileRun, runFile } from './support.js';

const FIXTURES = new URL('../../fixtures/', import.meta.url);
const AREAS = ['x12/309', 'x12/350', 'edifact/cuscar', 'edifact/cusres'];
const update = process.env.UPDATE_GOLDEN === '1';

function jsonl(rows: readonly unknown[]): string {
  return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
}

function outcome(run: FileRun): unknown[] {
  const rows: unknown[] = [];
  for (const m of run.messages) {
    const output = m.output;
    rows.push({
      message: {
        type: m.type,
        reference: m.reference,
        ok: m.ok,
        ...(output === 'unsupported'
          ? { unsupported: true }
          : { events: output.events.length, rejected: output.rejected.length }),
      },
    });
  }
  for (const r of run.rejected) rows.push({ rejected: r });
  for (const i of run.issues) rows.push({ issue: i });
  for (const i of run.readerIssues)
    rows.push({
      readerIssue: {
        code: i.code,
        severity: i.severity,
        segmentIndex: i.segmentIndex,
        messageRef: i.messageRef,
        message: i.message,
      },
    });
  return rows;
}

function golden(file: URL, actual: string): void {
  if (update) writeFileSync(file, actual);
  expect(existsSync(file), `${file.pathname} missing: run with UPDATE_GOLDEN=1`).toBe(true);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

for (const area of AREAS) {
  const dir = new URL(`${area}/`, FIXTURES);
  const cases = readdirSync(dir, { withFileTypes: true }).filter(
    (d) => d.isDirectory() && existsSync(new URL(`${d.name}/input.edi`, dir)),
  );
  describe(`golden ${area}`, () => {
    it('has cases', () => expect(cases.length).toBeGreaterThan(0));
    for (const c of cases) {
      it(c.name, () => {
        const base = new URL(`${c.name}/`, dir);
        const bytes = readFileSync(new URL('input.edi', base));
        const name = `${area}/${c.name}/input.edi`;
        const run = runFile(bytes, name, context({ file: name }));
        for (const ev of run.events) expect(ShipmentEventSchema.safeParse(ev).success).toBe(true);
        // Chunk boundaries anywhere must not change anything.
        expect(runFile(bytes, name, context({ file: name }), 7)).toEqual(run);
        golden(new URL('expected-events.jsonl', base), jsonl(run.events));
        golden(new URL('expected-outcome.jsonl', base), jsonl(outcome(run)));
      });
    }
  });
}
