/** The short markdown summary `npm run bench` prints. */
import type { BenchReport } from './run-bench.js';

function cell(v: number | string | null | undefined): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') return v >= 10000 ? v.toLocaleString('en-US') : String(v);
  return v;
}

export function renderMarkdown(r: BenchReport): string {
  const lines: string[] = [];
  lines.push(`## s321 bench — ${r.startedAt}`);
  lines.push(
    `${r.machine.cpus} × ${r.machine.model}, Node ${r.machine.node}, load average at start ${r.machine.loadAverage.join(' / ')}`,
  );
  for (const s of r.sizes) {
    lines.push('');
    lines.push(
      `### ${s.label} shipments — ${s.data.files} files, ${(s.data.bytes / 1e6).toFixed(1)} MB (${s.data.bytesPerShipment} B/shipment), ` +
        `generated and written in ${(s.generation.ms / 1000).toFixed(2)} s (generation alone ${s.generation.generateMbPerS} MB/s)`,
    );
    lines.push('');
    lines.push(
      '| stage | status | s | shipments/s | MB/s | MB/s per CPU s | peak RSS MB | × tokenizer | checks |',
    );
    lines.push('|---|---|---:|---:|---:|---:|---:|---:|---|');
    for (const st of s.stages) {
      const bad = st.checks.filter((c) => !c.ok);
      const checks =
        st.checks.length === 0
          ? '–'
          : bad.length === 0
            ? `${st.checks.length} ok`
            : bad.map((c) => `${c.name}: ${c.actual} ≠ ${c.expected}`).join('; ');
      const status = st.note !== undefined ? `${st.status}: ${st.note}` : st.status;
      const measured = st.status === 'ok' || st.status === 'partial';
      lines.push(
        `| ${st.stage} | ${status} | ${measured ? cell(st.seconds) : '–'} | ${cell(st.shipmentsPerS)} | ${cell(st.mbPerS)} | ${cell(st.cpuMbPerS)} | ${measured ? cell(st.maxRssMB) : '–'} | ${cell(st.vsTokenizer)} | ${checks} |`,
      );
    }
  }
  const threads = r.sizes.flatMap((s) => {
    const replay = s.stages.find((st) => st.stage === 'replay' && st.status === 'ok');
    const c = replay?.counts;
    if (replay === undefined || c?.mainThreadActiveMs === undefined || c.ingestThreadActiveMs === undefined)
      return [];
    // The process's CPU beyond the two JavaScript threads: V8's GC helpers and compiler threads.
    const otherMs =
      c.mainThreadCpuMs === undefined || c.ingestThreadCpuMs === undefined
        ? undefined
        : Math.max(0, replay.cpuMs - c.mainThreadCpuMs - c.ingestThreadCpuMs);
    const share = (active: number, idle: number | undefined): string =>
      `${Math.round((100 * active) / Math.max(1, active + (idle ?? 0)))}%`;
    const perShipment = (ms: number | undefined): string =>
      ms === undefined ? '–' : ((ms * 1000) / s.shipments).toFixed(1);
    return [
      `| ${s.label} | ${perShipment(c.ingestThreadCpuMs)} µs | ${perShipment(c.ingestThreadActiveMs)} µs (${share(c.ingestThreadActiveMs, c.ingestThreadIdleMs)}) | ${perShipment(c.mainThreadCpuMs)} µs | ${perShipment(c.mainThreadActiveMs)} µs (${share(c.mainThreadActiveMs, c.mainThreadIdleMs)}) | ${perShipment(otherMs)} µs | ${perShipment(replay.cpuMs)} µs |`,
    ];
  });
  if (threads.length > 0) {
    lines.push('');
    lines.push('### Replay threads: time per shipment (CPU of each thread; busy = event-loop utilization)');
    lines.push('');
    lines.push(
      '| size | ingest thread CPU (parse, normalize, encode) | ingest busy | main thread CPU (decisions, SQLite, outbound) | main busy | other threads CPU (GC, compiler) | process CPU |',
    );
    lines.push('|---|---:|---:|---:|---:|---:|---:|');
    lines.push(...threads);
  }
  const scaling = Object.entries(r.scaling);
  if (scaling.length > 0) {
    const first = r.sizes[0]?.label ?? '';
    const last = r.sizes[r.sizes.length - 1]?.label ?? '';
    lines.push('');
    lines.push(`### Scaling: time per shipment at ${last} / at ${first} (1.0 = linear)`);
    lines.push('');
    lines.push(`| ${scaling.map(([k]) => k).join(' | ')} |`);
    lines.push(`|${scaling.map(() => '---:').join('|')}|`);
    lines.push(`| ${scaling.map(([, v]) => cell(v ?? null)).join(' | ')} |`);
  }
  lines.push('');
  lines.push('### Targets');
  lines.push('');
  lines.push('| target | wanted | measured | met |');
  lines.push('|---|---|---|---|');
  for (const t of r.targets)
    lines.push(`| ${t.name} | ${t.target} | ${t.measured} | ${t.ok === null ? '–' : t.ok ? 'yes' : 'NO'} |`);
  return `${lines.join('\n')}\n`;
}
