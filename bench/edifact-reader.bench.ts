/**
 * Throughput of the EDIFACT streaming reader on ASCII CUSCAR-like data generated in memory
 * (~50 MB, one interchange, many messages, some release characters), pushed in 64 KiB chunks.
 * Run: npm run build && node dist/bench/edifact-reader.bench.js [sizeMB] [chunkKiB]
 */
import { pathToFileURL } from 'node:url';
import { createEdifactReader } from '../src/core/edifact/index.js';
import type { EdifactSink } from '../src/core/model/reader.js';

export interface EdifactBenchResult {
  bytes: number;
  seconds: number;
  mbPerSecond: number;
  segments: number;
  segmentsPerSecond: number;
  messages: number;
  ok: boolean;
  heapUsedMB: number;
}

/** One CUSCAR message with `bills` consignments; `n` makes references unique. */
function cuscarMessage(n: number, bills: number): string[] {
  const ref = `CUSCAR${n}`;
  const segs = [
    `UNH+${ref}+CUSCAR:D:03B:UN`,
    `BGM+85:::STANDARD+LOCKKH${String(n).padStart(8, '0')}+9`,
    'DTM+132:200412301200:203',
    'LOC+60+0901:77',
    'RFF+ABO:ABO04100000',
    'NAD+CA+LOCK:172+++11107 SUNSET HILLS ROAD:77705 ARLINGTON ROAD+RESTON+VA:163+20190',
    'TDT+11++03+:::BT++I++:109::10000324',
    'EQD+BI+10000325:109',
  ];
  for (let b = 0; b < bills; b++) {
    segs.push(
      `CNI+${b + 1}+LOCK${n}X${b}`,
      `RFF+BM:LOCK${n}X${b}`,
      'GIS+S321',
      "NAD+CN+++O?'BRIEN?+SONS LTD+12 MAIN STREET+SPRINGFIELD+IL+62701+US",
      'NAD+CZ+++ACME EXPORTS?: SHENZHEN+88 HARBOUR ROAD+SHENZHEN++518000+CN',
      'GID+1+10:CT',
      'FTX+AAA+++WIRELESS EARBUDS, PLASTIC HOUSING',
      'PIA+5+8518.30.2000:HS',
      `MOA+40:${(b * 37) % 800}.${b % 100}:USD`,
      'LOC+27+CN',
    );
  }
  segs.push(`UNT+${segs.length + 1}+${ref}`);
  return segs;
}

export function generateCuscar(targetBytes: number): Uint8Array {
  const parts: string[] = ["UNA:+.? '", 'UNB+UNOA:4+LOCK:ZZ+CBP-ACE-TEST:ZZ+20041016:1604+54++ACE'];
  let size = 0;
  let messages = 0;
  while (size < targetBytes) {
    const segs = cuscarMessage(messages, 20);
    for (const seg of segs) {
      parts.push(seg);
      size += seg.length + 2;
    }
    messages++;
  }
  parts.push(`UNZ+${messages}+54`);
  return new TextEncoder().encode(`${parts[0]}\n${parts.slice(1).join("'\n")}'\n`);
}

export function runEdifactReaderBench(sizeMB = 50, chunkKiB = 64): EdifactBenchResult {
  const data = generateCuscar(sizeMB * 1024 * 1024);
  let segments = 0;
  let messages = 0;
  let ok = true;
  const sink: EdifactSink = {
    interchangeStart() {},
    messageStart() {},
    segment() {
      segments++;
    },
    messageEnd(_h, _m, result) {
      messages++;
      if (!result.ok) ok = false;
    },
    interchangeEnd(_h, result) {
      if (!result.ok) ok = false;
    },
    fileIssue(issue) {
      if (issue.severity === 'error') ok = false;
    },
  };
  const chunk = chunkKiB * 1024;
  let best = Number.POSITIVE_INFINITY;
  // Best of three runs: the first warms the JIT; the machine is shared and noisy.
  for (let run = 0; run < 3; run++) {
    segments = 0;
    messages = 0;
    const reader = createEdifactReader(sink, { fileName: 'bench.edi', strict: true });
    const t0 = performance.now();
    for (let o = 0; o < data.length; o += chunk) reader.push(data.subarray(o, o + chunk));
    reader.end();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  const mb = data.length / (1024 * 1024);
  return {
    bytes: data.length,
    seconds: best,
    mbPerSecond: mb / best,
    segments,
    segmentsPerSecond: segments / best,
    messages,
    ok,
    heapUsedMB: process.memoryUsage().heapUsed / (1024 * 1024),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sizeMB = Number(process.argv[2] ?? 50);
  const chunkKiB = Number(process.argv[3] ?? 64);
  const r = runEdifactReaderBench(sizeMB, chunkKiB);
  console.log(
    `edifact reader: ${(r.bytes / 1048576).toFixed(1)} MB in ${r.seconds.toFixed(3)} s = ${r.mbPerSecond.toFixed(1)} MB/s, ` +
      `${Math.round(r.segmentsPerSecond).toLocaleString('en-US')} segments/s (${r.segments} segments, ${r.messages} messages, ok=${r.ok}), heap ${r.heapUsedMB.toFixed(0)} MB`,
  );
}
