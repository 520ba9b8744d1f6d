/**
 * docs/rules.md describes the rule calendar the code ships: its §5 table lists exactly the eras of
 * schemas/profiles/rules-calendar.json, in order, with the same values.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Era {
  from: string;
  profile: string;
  thresholdCents: number;
  aggregation: boolean;
  dayBasis: string;
  withhold: boolean;
  excludedOrigins: string[];
  suspended: boolean;
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

describe('docs/rules.md', () => {
  it('§5 lists the shipped rule calendar exactly', () => {
    const calendar = JSON.parse(readFileSync('schemas/profiles/rules-calendar.json', 'utf8')) as {
      eras: Era[];
    };
    const expected = calendar.eras.map((e) =>
      [
        e.from,
        e.profile,
        String(e.thresholdCents),
        yesNo(e.aggregation),
        e.dayBasis,
        yesNo(e.withhold),
        e.excludedOrigins.length === 0 ? '—' : e.excludedOrigins.join(', '),
        yesNo(e.suspended),
      ].join(' | '),
    );
    const docs = readFileSync('docs/rules.md', 'utf8');
    const rows = [...docs.matchAll(/^\| (\d{4}-\d{2}-\d{2} \| .*) \|$/gm)].map((m) => m[1]);
    expect(rows).toEqual(expected);
  });

  it('has the sections the code cites (rules.md §1 … §6)', () => {
    const docs = readFileSync('docs/rules.md', 'utf8');
    for (let n = 1; n <= 6; n++) expect(docs).toMatch(new RegExp(`^## §${n} `, 'm'));
  });
});
