/**
 * Conformance checker: holds one generated outbound file against its machine-readable segment
 * specification (schemas/ace). X12 and EDIFACT files are read with s321's own streaming readers in
 * strict mode (as `s321 inspect --strict` reads them): every reader issue is a violation, then the
 * envelope values, the message structure (segment order), and every element's presence, length,
 * code list and pattern are checked. ABI files are checked record by record (80 columns, record
 * order, column rules, block counts), CAMIR files line by line.
 */
import { createEdifactReader } from '../../core/edifact/reader.js';
import type { Issue } from '../../core/model/issue.js';
import type {
  EdifactInterchangeHeader,
  MessageHeader,
  ReaderSink,
  X12InterchangeHeader,
} from '../../core/model/reader.js';
import type { EdifactSegment, X12Segment } from '../../core/model/segment.js';
import { createX12Reader } from '../../core/x12/reader.js';
import type {
  AbiSpec,
  CamirSpec,
  ConformanceSpec,
  EdifactSpec,
  ElementSpec,
  SegmentSpec,
  X12Spec,
} from './spec.js';

export interface ConformanceResult {
  /** Human-readable violations, each naming where (message, segment, element / record, column). */
  violations: string[];
  /** Messages (X12 / EDIFACT), records (ABI) or messages (CAMIR) checked. */
  units: number;
}

interface Rule {
  name: string;
  mandatory?: boolean | undefined;
  min?: number | undefined;
  max?: number | undefined;
  codes?: string[] | undefined;
  pattern?: string | undefined;
}

function checkValue(value: string, rule: Rule, where: string, out: string[]): void {
  if (value === '') {
    if (rule.mandatory === true) out.push(`${where} (${rule.name}): mandatory, missing`);
    return;
  }
  const length = [...value].length;
  if (rule.min !== undefined && length < rule.min)
    out.push(`${where} (${rule.name}): ${JSON.stringify(value)} shorter than ${rule.min}`);
  if (rule.max !== undefined && length > rule.max)
    out.push(`${where} (${rule.name}): ${JSON.stringify(value)} longer than ${rule.max}`);
  if (rule.codes !== undefined && !rule.codes.includes(value))
    out.push(`${where} (${rule.name}): ${JSON.stringify(value)} not in [${rule.codes.join(', ')}]`);
  if (rule.pattern !== undefined && !new RegExp(rule.pattern).test(value))
    out.push(`${where} (${rule.name}): ${JSON.stringify(value)} does not match ${rule.pattern}`);
}

function checkStructure(ids: string[], structure: string, where: string, out: string[]): void {
  const joined = ids.join(' ');
  if (!new RegExp(structure).test(joined))
    out.push(`${where}: order ${JSON.stringify(joined)} does not match ${structure}`);
}

interface Read<H, S> {
  headers: H[];
  messages: Array<{ header: MessageHeader; segments: S[] }>;
  issues: Issue[];
}

function collect<H extends X12InterchangeHeader | EdifactInterchangeHeader, S>(): {
  sink: ReaderSink<H, S>;
  read: Read<H, S>;
} {
  const read: Read<H, S> = { headers: [], messages: [], issues: [] };
  let current: S[] = [];
  const sink: ReaderSink<H, S> = {
    interchangeStart: (h) => {
      read.headers.push(h);
    },
    messageStart: (_h, header) => {
      current = [];
      read.messages.push({ header, segments: current });
    },
    segment: (s) => {
      current.push(s);
    },
    messageEnd: (_h, _m, result) => {
      read.issues.push(...result.issues);
    },
    interchangeEnd: (_h, result) => {
      read.issues.push(...result.issues);
    },
    fileIssue: (issue) => {
      read.issues.push(issue);
    },
  };
  return { sink, read };
}

function encode(content: string, charset: string): Uint8Array {
  if (charset.startsWith('iso-8859'))
    return Uint8Array.from([...content].map((ch) => ch.codePointAt(0) ?? 0x3f));
  return new TextEncoder().encode(content);
}

function checkSegment(
  tag: string,
  elements: string[][],
  specs: ReadonlyMap<string, SegmentSpec>,
  where: string,
  out: string[],
): void {
  const spec = specs.get(tag);
  if (spec === undefined) {
    out.push(`${where}: segment ${tag} is not in the specification`);
    return;
  }
  elements.forEach((components, i) => {
    const pos = i + 1;
    if (components.every((c) => c === '')) return;
    if (pos > spec.maxElements)
      out.push(`${where} ${tag}${String(pos).padStart(2, '0')}: element not in the specification`);
    const maxComponents = spec.maxComponents?.[String(pos)] ?? 1;
    if (components.length > maxComponents)
      out.push(
        `${where} ${tag}${String(pos).padStart(2, '0')}: ${components.length} components, at most ${maxComponents}`,
      );
  });
  for (const el of spec.elements as ElementSpec[]) {
    const [e, c] = el.pos.split('.').map(Number) as [number, number | undefined];
    const value = elements[e - 1]?.[(c ?? 1) - 1] ?? '';
    checkValue(value, el, `${where} ${tag}-${el.pos}`, out);
  }
}

function checkX12(content: string, charset: string, spec: X12Spec): ConformanceResult {
  const { sink, read } = collect<X12InterchangeHeader, X12Segment>();
  const reader = createX12Reader(sink, { fileName: 'generated', strict: true });
  reader.push(encode(content, charset));
  reader.end();
  const out = read.issues.map((i) => `reader (strict): ${i.code as string} ${i.message}`);
  const specs = new Map(spec.segments.map((s) => [s.tag, s]));
  if (read.headers.length !== 1) out.push(`file: ${read.headers.length} interchanges, expected 1`);
  for (const h of read.headers) {
    checkValue(h.version, spec.envelope.ISA12, 'ISA12', out);
    checkValue(h.usage, spec.envelope.ISA15, 'ISA15', out);
  }
  for (const m of read.messages) {
    const where = `ST ${m.header.reference}`;
    checkValue(m.header.functionalId, spec.envelope.GS01, `${where} GS01`, out);
    checkValue(m.header.version, spec.envelope.GS08, `${where} GS08`, out);
    checkValue(m.header.type, spec.envelope.ST01, `${where} ST01`, out);
    checkStructure(
      m.segments.map((s) => s.tag),
      spec.structure,
      where,
      out,
    );
    const d = read.headers[0]?.delimiters;
    for (const s of m.segments) {
      const elements = s.elements.map((v) => (d === undefined ? [v] : v.split(d.component)));
      checkSegment(s.tag, elements, specs, `${where} #${s.index}`, out);
    }
  }
  return { violations: out, units: read.messages.length };
}

function checkEdifact(content: string, charset: string, spec: EdifactSpec): ConformanceResult {
  const { sink, read } = collect<EdifactInterchangeHeader, EdifactSegment>();
  const reader = createEdifactReader(sink, { fileName: 'generated', strict: true });
  reader.push(encode(content, charset));
  reader.end();
  const out = read.issues.map((i) => `reader (strict): ${i.code as string} ${i.message}`);
  const specs = new Map(spec.segments.map((s) => [s.tag, s]));
  if (read.headers.length !== 1) out.push(`file: ${read.headers.length} interchanges, expected 1`);
  for (const h of read.headers) checkValue(h.syntax, spec.envelope.syntax, 'UNB S001', out);
  for (const m of read.messages) {
    const where = `UNH ${m.header.reference}`;
    checkValue(m.header.functionalId, spec.envelope.group, `${where} UNG 0038`, out);
    checkValue(m.header.type, spec.envelope.messageType, `${where} UNH 0065`, out);
    checkValue(m.header.version, spec.envelope.messageVersion, `${where} UNH S009`, out);
    checkStructure(
      m.segments.map((s) => s.tag),
      spec.structure,
      where,
      out,
    );
    for (const s of m.segments) checkSegment(s.tag, s.elements, specs, `${where} #${s.index}`, out);
  }
  return { violations: out, units: read.messages.length };
}

function checkAbi(content: string, spec: AbiSpec): ConformanceResult {
  const out: string[] = [];
  if (content !== '' && !content.endsWith('\n')) out.push('file: last record has no line end');
  const records = content.split(/\r?\n/).slice(0, -1);
  const byPrefix = Object.entries(spec.records).sort((a, b) => b[1].prefix.length - a[1].prefix.length);
  const ids = records.map((r, i) => {
    if (r.length !== spec.recordLength)
      out.push(`record ${i + 1}: ${r.length} columns, not ${spec.recordLength}`);
    const found = byPrefix.find(([, rec]) => r.startsWith(rec.prefix));
    if (found === undefined) {
      out.push(`record ${i + 1}: ${JSON.stringify(r.slice(0, 4))} is no record of the specification`);
      return '?';
    }
    const [id, rec] = found;
    for (const f of rec.fields) {
      const raw = r.slice(f.start - 1, f.start - 1 + f.length);
      const where = `record ${i + 1} ${id} ${f.start}-${f.start + f.length - 1}`;
      if (f.kind === 'N' && raw.trim() !== '' && !/^\d+$/.test(raw))
        out.push(`${where} (${f.name}): ${JSON.stringify(raw)} is not numeric, zero-filled`);
      if (f.kind === 'AN' && /^ +\S/.test(raw)) out.push(`${where} (${f.name}): not left-justified`);
      checkValue(raw.trim(), f, where, out);
    }
    return id;
  });
  checkStructure(ids, spec.structure, 'file', out);
  for (const c of spec.counts) {
    let since = 0;
    ids.forEach((id, i) => {
      if (id === c.from) since = 0;
      else if (id === c.record) {
        const field = spec.records[c.record]?.fields.find((f) => f.name === 'recordCount');
        const r = records[i] ?? '';
        const n =
          field === undefined ? Number.NaN : Number(r.slice(field.start - 1, field.start - 1 + field.length));
        if (n !== since) out.push(`record ${i + 1} ${id}: count ${n}, ${since} records since ${c.from}`);
      } else since += 1;
    });
  }
  return { violations: out, units: records.length };
}

function checkCamir(content: string, spec: CamirSpec): ConformanceResult {
  const out: string[] = [];
  const messages = content
    .split(/\n\n+/)
    .map((m) => m.split('\n').filter((l) => l !== ''))
    .filter((m) => m.length > 0);
  messages.forEach((lines, i) => {
    const ids = lines.map((l, j) => {
      const found = spec.lines.find((x) => new RegExp(x.pattern).test(l));
      if (found === undefined)
        out.push(`message ${i + 1} line ${j + 1}: ${JSON.stringify(l)} matches no line of the specification`);
      return found?.id ?? '?';
    });
    checkStructure(ids, spec.structure, `message ${i + 1}`, out);
  });
  return { violations: out, units: messages.length };
}

export function checkConformance(content: string, charset: string, spec: ConformanceSpec): ConformanceResult {
  switch (spec.syntax) {
    case 'x12':
      return checkX12(content, charset, spec);
    case 'edifact':
      return checkEdifact(content, charset, spec);
    case 'abi':
      return checkAbi(content, spec);
    case 'camir':
      return checkCamir(content, spec);
  }
}
