/**
 * The report a broker reads: one self-contained HTML file (inline CSS and SVG, no script, no
 * external resource), per day the exceeded person-days with consignee name and address, each bill
 * with its value, mode and codes sent or pending, the split-shipment suspects, and charts of the
 * totals per day and per mode. Every text from the data goes through escapeHtml.
 */

import type { ConsigneeLabel } from './consignee-label.js';
import { escapeHtml as h } from './html-escape.js';
import type { ExceededPersonDay, ReportCode, ReportData, SuspectView } from './report-model.js';
import { usd } from './report-model.js';
import { barChartSvg } from './svg-charts.js';

const REASONS: Record<string, string> = {
  'same-name-other-id': 'same name and address, another id',
  'name-word-order': 'same address, name words in another order',
  'name-subset': 'same address, one name has an extra word',
  'name-initials': 'same address, a name given by its initial',
  'name-typo': 'same address, name spelled slightly differently',
  'address-street-variant': 'same name, street spelled differently or a unit added',
  'address-postal-variant': 'same name and street, postal code or city differ',
};

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1a202c;max-width:1100px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;border-bottom:2px solid #2b6cb0;padding-bottom:4px;margin-top:32px}
h3{font-size:15px;margin:18px 0 6px}.muted{color:#4a5568}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:13px}
th,td{border:1px solid #cbd5e0;padding:4px 6px;text-align:left;vertical-align:top}th{background:#edf2f7}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.pd{border:1px solid #e2e8f0;border-radius:6px;padding:8px 12px;margin:10px 0;background:#fffaf0}
.pd .who{font-weight:600}.tag{display:inline-block;border-radius:3px;padding:0 5px;font-size:12px}
.sent{background:#c6f6d5}.pending{background:#fefcbf}.over{background:#fed7d7}
.charts{display:flex;flex-wrap:wrap;gap:16px}.charts svg{border:1px solid #e2e8f0;border-radius:6px;padding:6px;background:#fff}
`;

export function renderReportHtml(data: ReportData): string {
  const scope = data.day === undefined ? 'all days' : data.day;
  const days = [...new Set([...data.days.map((d) => d.day), ...data.exceeded.map((p) => p.day)])].sort();
  const body = [
    `<h1>Section 321 report: ${h(scope)}</h1>`,
    `<p class="muted">${data.days.reduce((n, d) => n + d.personDays, 0)} person-days, ${data.exceeded.length} exceeded, ${data.suspects.length} split-shipment suspect group(s).</p>`,
    charts(data),
    ...days.map((day) => daySection(day, data)),
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Section 321 report: ${h(scope)}</title><style>${STYLE}</style></head>
<body>
${body}
</body></html>
`;
}

function charts(data: ReportData): string {
  const perDay = barChartSvg({
    title: 'Declared value per day (USD)',
    description: 'bar chart of the declared value per day',
    rows: data.days.map((d) => ({ label: d.day, value: d.totalCents, shown: `$${usd(d.totalCents)}` })),
  });
  const exceededPerDay = barChartSvg(
    {
      title: 'Exceeded person-days per day',
      description: 'bar chart of the exceeded person-days per day',
      rows: data.days.map((d) => ({
        label: d.day,
        value: d.exceeded,
        shown: `${d.exceeded} of ${d.personDays}`,
      })),
    },
    '#c53030',
  );
  const perMode = barChartSvg(
    {
      title: 'Declared value per day and mode (USD)',
      description: 'bar chart of the declared value per day and transport mode',
      rows: data.modeTotals.map((m) => ({
        label: `${m.day} ${m.mode}`,
        value: m.cents,
        shown: `$${usd(m.cents)} (${m.bills} bill${m.bills === 1 ? '' : 's'})`,
      })),
    },
    '#2f855a',
  );
  return `<section class="charts" id="charts">${perDay}${exceededPerDay}${perMode}</section>`;
}

function daySection(day: string, data: ReportData): string {
  const summary = data.days.find((d) => d.day === day);
  const exceeded = data.exceeded.filter((p) => p.day === day);
  const suspects = data.suspects.filter((s) => s.group.day === day);
  const parts = [
    `<section class="day" data-day="${h(day)}">`,
    `<h2>${h(day)}</h2>`,
    summary === undefined
      ? ''
      : `<p>${summary.personDays} person-days, $${usd(summary.totalCents)} declared, <strong>${summary.exceeded} exceeded</strong>.</p>`,
    `<h3>Exceeded person-days</h3>`,
    exceeded.length === 0 ? '<p class="muted">None.</p>' : exceeded.map(personDay).join('\n'),
    `<h3>Split-shipment suspects</h3>`,
    suspects.length === 0
      ? '<p class="muted">None.</p>'
      : `<p class="muted">Near-identical consignees on this day. They are reported, not merged: each stays its own person-day.</p>${suspects.map(suspect).join('\n')}`,
    '</section>',
  ];
  return parts.join('\n');
}

function who(label: ConsigneeLabel): string {
  const id =
    label.id !== undefined
      ? ` <span class="muted">(qualifier ${h(label.idQualifier ?? '')}, id ${h(label.id)})</span>`
      : '';
  const name = label.name !== '' ? h(label.name) : '<span class="muted">name not stored</span>';
  return `<span class="who">${name}</span>${id}<br><span class="addr">${h(label.address)}</span>`;
}

function codeTags(codes: readonly ReportCode[], status: ReportCode['status']): string {
  return codes
    .filter((c) => c.status === status)
    .map(
      (c) =>
        `<span class="tag ${status}" title="${h(`${c.channel} to ${c.recipient}, ${c.role}`)}">${h(c.code)} ${h(c.channel)}</span>`,
    )
    .join(' ');
}

function personDay(pd: ExceededPersonDay): string {
  const rows = pd.bills
    .map(
      (b) =>
        `<tr class="bill"><td>${h(b.bill)}</td><td>${h(b.mode)}</td><td class="num">$${usd(b.cents)}</td><td class="codes-sent">${codeTags(b.codes, 'sent')}</td><td class="codes-pending">${codeTags(b.codes, 'pending')}</td></tr>`,
    )
    .join('');
  return `<div class="pd" data-consignee-key="${h(pd.consigneeKey)}">
<div>${who(pd.consignee)}</div>
<div>Total <strong class="total">$${usd(pd.totalCents)}</strong> <span class="tag over">over $${usd(pd.thresholdCents)}</span> <span class="muted">profile ${h(pd.profile)}</span></div>
<table><thead><tr><th>Bill</th><th>Mode</th><th class="num">Value</th><th>Codes sent</th><th>Codes pending</th></tr></thead><tbody>${rows}</tbody></table>
</div>`;
}

function suspect(s: SuspectView): string {
  const members = s.group.members
    .map((m) => {
      const label = s.labels[m.consigneeKey] as ConsigneeLabel;
      return `<tr class="member"><td>${who(label)}</td><td class="num">$${usd(m.totalCents)}</td><td class="num">${m.bills}</td></tr>`;
    })
    .join('');
  const name = (key: string): string => h(s.labels[key]?.name || key);
  const pairs = s.group.pairs
    .map((p) => `<li class="pair">${name(p.a)} ↔ ${name(p.b)}: ${h(REASONS[p.reason] ?? p.reason)}</li>`)
    .join('');
  const flag = s.combinedExceeds
    ? ` <span class="tag over">together over $${usd(s.thresholdCents)}</span>`
    : '';
  return `<div class="suspect" data-suspect-id="${h(s.group.id)}">
<table><thead><tr><th>Consignee</th><th class="num">Person-day total</th><th class="num">Bills</th></tr></thead><tbody>${members}</tbody>
<tfoot><tr><th>Combined</th><th class="num combined">$${usd(s.group.combinedCents)}</th><th></th></tr></tfoot></table>
<div>Evidence:${flag}<ul>${pairs}</ul></div>
</div>`;
}
