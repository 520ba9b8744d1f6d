/**
 * Bar charts as inline SVG, generated here so the HTML report needs no script, CDN or font: it is
 * one file that works offline. Horizontal bars, one per row, scaled to the largest value.
 */
import { escapeHtml } from './html-escape.js';

export interface BarRow {
  label: string;
  value: number;
  /** Text shown after the bar (the value formatted). */
  shown: string;
}

export interface Series {
  rows: readonly BarRow[];
  title: string;
  /** Accessible description (role="img" + aria-label). */
  description: string;
}

const ROW = 22;
const LABEL_WIDTH = 170;
const BAR_WIDTH = 420;
const TEXT_WIDTH = 150;

export function barChartSvg(series: Series, color = '#2b6cb0'): string {
  const max = Math.max(1, ...series.rows.map((r) => r.value));
  const height = 28 + series.rows.length * ROW;
  const width = LABEL_WIDTH + BAR_WIDTH + TEXT_WIDTH;
  const bars = series.rows
    .map((r, i) => {
      const y = 24 + i * ROW;
      // At least one pixel for a non-zero value, so a small day is still visible.
      const w = r.value > 0 ? Math.max(1, Math.round((r.value / max) * BAR_WIDTH)) : 0;
      return [
        `<text x="${LABEL_WIDTH - 8}" y="${y + 14}" text-anchor="end">${escapeHtml(r.label)}</text>`,
        `<rect x="${LABEL_WIDTH}" y="${y + 2}" width="${w}" height="${ROW - 6}" fill="${color}"><title>${escapeHtml(`${r.label}: ${r.shown}`)}</title></rect>`,
        `<text x="${LABEL_WIDTH + w + 6}" y="${y + 14}">${escapeHtml(r.shown)}</text>`,
      ].join('');
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="${escapeHtml(series.description)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
<text x="0" y="14" font-weight="bold">${escapeHtml(series.title)}</text>
${bars}
</svg>`;
}
