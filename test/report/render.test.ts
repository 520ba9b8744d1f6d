/**
 * The pure renderers on hand-made report data: codes pending next to codes sent, CSV quoting, and
 * HTML escaping of every text taken from EDI input (names, bills, keys in attributes).
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { consigneeLabel } from '../../src/core/report/consignee-label.js';
import { renderReportCsv } from '../../src/core/report/render-csv.js';
import { renderReportHtml } from '../../src/core/report/render-html.js';
import type { ReportData } from '../../src/core/report/report-model.js';

const hostile = {
  name: 'EVIL "CO" <script>alert(1)</script>',
  street: '1 A & B ST',
  city: 'X',
  state: 'NY',
  postal: '10001',
  country: 'US',
};
const key = 'na|EVIL CO SCRIPT ALERT 1 SCRIPT|1 A B ST|X|NY|10001|US" onmouseover="x';

const data: ReportData = {
  days: [{ day: '2025-06-10', personDays: 2, totalCents: 90_000, exceeded: 1 }],
  modeTotals: [{ day: '2025-06-10', mode: 'truck', bills: 2, cents: 90_000 }],
  suspects: [],
  exceeded: [
    {
      day: '2025-06-10',
      consigneeKey: key,
      consignee: consigneeLabel(key, hostile),
      totalCents: 90_000,
      thresholdCents: 80_000,
      profile: 'release2',
      bills: [
        {
          bill: 'ACME/B1,"x"',
          mode: 'truck',
          cents: 50_000,
          codes: [
            { channel: 'truck-x12-350', code: '95', recipient: 'ACME', role: 'earlier', status: 'sent' },
          ],
        },
        {
          bill: 'ACME/B2',
          mode: 'truck',
          cents: 40_000,
          codes: [
            {
              channel: 'truck-x12-350',
              code: 'SN517',
              recipient: 'ACME',
              role: 'crossing',
              status: 'pending',
            },
          ],
        },
      ],
    },
  ],
};

describe('report renderers', () => {
  it('CSV: sent and pending codes in their columns, quoting kept through a parser', () => {
    const rows: Record<string, string>[] = parse(renderReportCsv(data), { columns: true });
    expect(rows.map((r) => [r.bill, r.value_usd, r.codes_sent, r.codes_pending])).toEqual([
      ['ACME/B1,"x"', '500.00', '95 truck-x12-350 to ACME', ''],
      ['ACME/B2', '400.00', '', 'SN517 truck-x12-350 to ACME'],
    ]);
    expect(rows[0]?.consignee_name).toBe(hostile.name);
  });

  it('HTML: input text never becomes markup, in content or attributes', () => {
    const html = renderReportHtml(data);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('" onmouseover="');
    expect(html).toContain('EVIL &quot;CO&quot; &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('1 A &amp; B ST');
    expect(html).toMatch(/class="tag pending"[^>]*>SN517 truck-x12-350</);
    expect(html).not.toMatch(/<link|<script|src=|href=/); // self-contained
  });

  it('labels an id-keyed consignee by qualifier and id, with the name when known', () => {
    expect(consigneeLabel('id|24|105541071').text).toBe('qualifier 24 id 105541071');
    expect(consigneeLabel('id|24|105541071', { ...hostile, name: 'ACME' }).text).toBe(
      'ACME (qualifier 24 id 105541071), 1 A & B ST, X, NY 10001, US',
    );
    expect(consigneeLabel('na|JOHN SMITH|12 MAIN ST|BOSTON|MA|02110|US').text).toBe(
      'JOHN SMITH, 12 MAIN ST, BOSTON, MA 02110, US',
    );
  });
});
