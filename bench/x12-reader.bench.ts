/**
 * X12 reader throughput: generates a ~50 MB 309-like interchange in memory (ASCII, "~" + LF
 * layout), feeds it in 64 KiB chunks and reports MB/s and segments/s (median of several runs),
 * next to a bare latin1 + indexOf split tokenizer as the reference ceiling.
 *
 * Run: npx tsc -p tsconfig.json && node dist/bench/x12-reader.bench.js [sizeMB] [runs]
 */
import type { X12Sink } from '../src/core/model/reader.js';
import { createX12Reader } from '../src/core/x12/reader.js';

const sizeMb = Number(process.argv[2] ?? 50);
const runs = Number(process.argv[3] ?? 5);
/** Optional substring of a variant label to run only that one. */
const only = process.argv[4];
const CHUNK = 64 * 1024;

function pad(value: string, width: number): string {
  return value.length >= width ? value.slice(0, width) : value + ' '.repeat(width - value.length);
}

/** A 309 manifest per ST: M10, P4, then LX shipment loops (M13, M11, N9, N1/N3/N4 x2, N10 x2). */
function generate309(
  targetBytes: number,
  newline: boolean,
  utf8Names: boolean,
): { bytes: Uint8Array; segments: number } {
  const nl = newline ? '\n' : '';
  const parts: string[] = [];
  let size = 0;
  let segments = 0;
  const seg = (text: string): void => {
    const s = `${text}~${nl}`;
    parts.push(s);
    size += s.length;
    segments++;
  };
  seg(
    `ISA*00*${pad('', 10)}*00*${pad('', 10)}*02*${pad('ABCD', 15)}*ZZ*${pad('CBP-ACE-TEST', 15)}*240115*1200*^*00406*000000001*0*P*>`,
  );
  seg('GS*AQ*ABCD*CBP-ACE-TEST*20240115*1200*1*X*004060');
  let st = 0;
  while (size < targetBytes) {
    st++;
    const ref = String(st).padStart(4, '0');
    const before = segments;
    seg(`ST*309*${ref}`);
    seg(`M10*ABCD*J*US*TRUCK${st}*TRIP${st}**${st % 7}`);
    seg('P4*2304*20240115*1*1200');
    for (let lx = 1; lx <= 50; lx++) {
      const bill = `B${st}X${lx}`.padEnd(12, '0');
      seg(`LX*${lx}`);
      seg('M13*ABCD*2304*A');
      seg(`M11*${bill}*2304*1*PCS*12.5*K***********ABCD`);
      seg('N9*ZZ*S321');
      seg('N1*SH*SHENZHEN EXPORT TRADING CO LTD');
      seg('N3*88 INDUSTRIAL PARK ROAD BUILDING 7');
      seg('N4*SHENZHEN**518000*CN');
      seg(utf8Names ? `N1*CN*JOSÉ NUÑEZ ${lx}` : `N1*CN*JANE CONSUMER ${lx}`);
      seg(`N3*${100 + lx} MAIN STREET APT ${lx}`);
      seg('N4*LAREDO*TX*78040*US');
      seg(`N10*1*WIRELESS EARBUDS*HS*8518300000*${(lx * 37) % 800}.00**CN**USD`);
      seg(`N10*2*PHONE CASE SILICONE*HS*3926909990*${(lx * 11) % 200}.50**CN**USD`);
    }
    seg(`SE*${segments - before + 1}*${ref}`);
  }
  seg(`GE*${st}*1`);
  seg('IEA*1*000000001');
  return { bytes: new TextEncoder().encode(parts.join('')), segments };
}

function runReader(bytes: Uint8Array): { ms: number; segments: number; ok: boolean } {
  let segments = 0;
  let chars = 0;
  let ok = true;
  const sink: X12Sink = {
    interchangeStart: () => {},
    messageStart: () => {},
    segment: (s) => {
      segments++;
      chars += s.elements.length;
    },
    messageEnd: (_i, _m, r) => {
      if (!r.ok) ok = false;
    },
    interchangeEnd: (_h, r) => {
      if (!r.ok) ok = false;
    },
    fileIssue: () => {
      ok = false;
    },
  };
  const reader = createX12Reader(sink, { fileName: 'bench.edi', strict: true });
  const t0 = performance.now();
  for (let i = 0; i < bytes.length; i += CHUNK) reader.push(bytes.subarray(i, i + CHUNK));
  reader.end();
  const ms = performance.now() - t0;
  if (chars < 0) console.log(chars);
  return { ms, segments, ok };
}

/** Reference: decode latin1, cut on '~', split on '*', nothing else (no envelope, no layout). */
function runBareSplit(bytes: Uint8Array): { ms: number; segments: number } {
  const decoder = new TextDecoder('latin1');
  let segments = 0;
  let elements = 0;
  let rest = '';
  const t0 = performance.now();
  for (let i = 0; i < bytes.length; i += CHUNK) {
    const text = rest + decoder.decode(bytes.subarray(i, i + CHUNK));
    let p = 0;
    for (;;) {
      const e = text.indexOf('~', p);
      if (e < 0) break;
      const parts = text.substring(p, e).trimStart().split('*');
      elements += parts.length;
      segments++;
      p = e + 1;
    }
    rest = text.slice(p);
  }
  const ms = performance.now() - t0;
  if (elements < 0) console.log(elements);
  return { ms, segments };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function report(
  label: string,
  bytes: Uint8Array,
  run: (b: Uint8Array) => { ms: number; segments: number },
): void {
  const times: number[] = [];
  let segments = 0;
  run(bytes); // warm-up
  for (let r = 0; r < runs; r++) {
    const res = run(bytes);
    times.push(res.ms);
    segments = res.segments;
  }
  const ms = median(times);
  const best = Math.min(...times);
  const mb = bytes.length / 1e6;
  // The machine is shared and noisy: the median is the typical figure, the best run what the code can do.
  console.log(
    `${label.padEnd(34)} ${(mb / (ms / 1000)).toFixed(1).padStart(7)} MB/s  ${(((segments / ms) * 1000) / 1e6).toFixed(2)}M segments/s` +
      `  (median of ${runs}, ${ms.toFixed(0)} ms; best ${(mb / (best / 1000)).toFixed(1)} MB/s)`,
  );
}

const variants = [
  { label: 'ASCII, "~" + LF', newline: true, utf8: false },
  { label: 'ASCII, "~", one line', newline: false, utf8: false },
  { label: 'UTF-8 consignee names, "~" + LF', newline: true, utf8: true },
];
for (const v of variants) {
  if (only !== undefined && !v.label.includes(only)) continue;
  const { bytes, segments } = generate309(sizeMb * 1e6, v.newline, v.utf8);
  const check = runReader(bytes);
  console.log(
    `\n309-like file: ${(bytes.length / 1e6).toFixed(1)} MB, ${segments} segments, ${v.label}; reader ok=${check.ok}, message segments=${check.segments}`,
  );
  report('createX12Reader (strict)', bytes, runReader);
  report('bare latin1 + indexOf/split', bytes, runBareSplit);
}
/**
 * Memory stays flat: stream `totalMb` of 309 messages through the reader without holding the input
 * (one message's bytes pushed again and again) and sample RSS; it must not grow with the input.
 */
function streamingMemory(totalMb: number): void {
  const { bytes } = generate309(30_000, true, false);
  const text = new TextDecoder().decode(bytes);
  const st = text.indexOf('ST*309');
  const ge = text.lastIndexOf('GE*');
  const head = new TextEncoder().encode(text.slice(0, st));
  const messages = text.slice(st, ge);
  const oneMessage = new TextEncoder().encode(messages.slice(0, messages.indexOf('ST*309', 1)));
  let count = 0;
  let segments = 0;
  let ok = true;
  const reader = createX12Reader(
    {
      interchangeStart: () => {},
      messageStart: () => {},
      segment: () => {
        segments++;
      },
      messageEnd: (_i, _m, r) => {
        if (!r.ok) ok = false;
      },
      interchangeEnd: (_h, r) => {
        if (!r.ok) ok = false;
      },
      fileIssue: () => {
        ok = false;
      },
    },
    { fileName: 'stream.edi', strict: true },
  );
  const rssBefore = process.memoryUsage().rss;
  let rssMax = rssBefore;
  let fed = 0;
  reader.push(head);
  const t0 = performance.now();
  while (fed < totalMb * 1e6) {
    reader.push(oneMessage);
    fed += oneMessage.length;
    count++;
    if (count % 500 === 0) rssMax = Math.max(rssMax, process.memoryUsage().rss);
  }
  reader.push(new TextEncoder().encode(`GE*${count}*1~\nIEA*1*000000001~\n`));
  reader.end();
  const ms = performance.now() - t0;
  console.log(
    `\nstreamed ${(fed / 1e6).toFixed(0)} MB (${count} messages, ${segments} segments, ok=${ok}) in ${ms.toFixed(0)} ms: ` +
      `RSS ${(rssBefore / 1e6).toFixed(0)} MB before, max ${(rssMax / 1e6).toFixed(0)} MB during`,
  );
}

if (only === undefined) streamingMemory(sizeMb * 4);
