/**
 * Test helpers for the normalizers: hand-built segments (no reader involved) and a small driver that
 * runs whole files through the real readers and the normalizers (golden runner).
 */

import type { Issue } from '../../src/core/model/issue.js';
import type {
  EdifactInterchangeHeader,
  InterchangeHeader,
  MessageHeader,
  MessageResult,
  ReaderSink,
  X12InterchangeHeader,
} from '../../src/core/model/reader.js';
import type { EdifactSegment, X12Segment } from '../../src/core/model/segment.js';
import type { ShipmentEvent } from '../../src/core/model/shipment-event.js';
import { type RateTable, RateTableSchema } from '../../src/core/money/rate-table.js';
import { createEdifactNormalizer, createX12Normalizer } from '../../src/core/normalize/index.js';
import type {
  MessageNormalizer,
  NormalizeContext,
  NormalizeOutput,
  ShipmentRejection,
} from '../../src/core/normalize/types.js';
import { createFileReader } from '../../src/core/pipeline/file-reader.js';
import { DEFAULT_INBOUND_PROFILE, type InboundProfile } from '../../src/core/profiles/index.js';

export const RATES: RateTable = RateTableSchema.parse({
  EUR: [
    { from: '2025-01-01', usdPerUnit: '1.0837' },
    { from: '2025-09-01', usdPerUnit: '1.1650' },
  ],
  CAD: [{ from: '2025-01-01', usdPerUnit: '0.7312' }],
  CNY: [{ from: '2025-01-01', usdPerUnit: '0.1392' }],
  GBP: [{ from: '2025-01-01', usdPerUnit: '1.2710' }],
  JPY: [{ from: '2025-01-01', usdPerUnit: '0.0066' }],
});

export function context(over: Partial<NormalizeContext> = {}): NormalizeContext {
  return { file: 'test.edi', profile: DEFAULT_INBOUND_PROFILE, rates: RATES, ...over };
}

export const OK: MessageResult = { ok: true, issues: [], segmentCount: 0 };

export function x12Interchange(over: Partial<X12InterchangeHeader> = {}): X12InterchangeHeader {
  return {
    standard: 'x12',
    senderQualifier: 'ZZ',
    senderId: 'ACMETRUCK      ',
    receiverQualifier: 'ZZ',
    receiverId: 'S321',
    controlNumber: '000000101',
    date: '20250901',
    time: '1200',
    usage: 'P',
    segmentIndex: 0,
    byteOffset: 0,
    version: '00401',
    delimiters: { element: '*', component: '>', repetition: null, segment: '~' },
    ...over,
  };
}

export function edifactInterchange(over: Partial<EdifactInterchangeHeader> = {}): EdifactInterchangeHeader {
  return {
    standard: 'edifact',
    senderQualifier: 'ZZ',
    senderId: 'ACMETRUCK',
    receiverQualifier: 'ZZ',
    receiverId: 'S321',
    controlNumber: '7001',
    date: '20250901',
    time: '1200',
    usage: '',
    segmentIndex: 0,
    byteOffset: 0,
    syntax: 'UNOC:3',
    charset: 'iso-8859-1',
    delimiters: { component: ':', element: '+', decimal: '.', release: '?', repetition: null, segment: "'" },
    una: false,
    ...over,
  };
}

export function messageHeader(type: string, over: Partial<MessageHeader> = {}): MessageHeader {
  const functionalId = type === '309' ? 'AQ' : type === '350' ? 'AU' : '';
  return {
    type,
    reference: '0001',
    version: type.length === 3 ? '004010' : 'D:03B:UN',
    functionalId,
    groupControl: '101',
    appSender: 'ACME',
    appReceiver: 'S321',
    segmentIndex: 2,
    byteOffset: 200,
    ...over,
  };
}

/** 'M10*ACME*J~P4*...' (newlines allowed) → segments numbered after the ST at file index `stIndex`. */
export function x12Segments(body: string, stIndex = 2): X12Segment[] {
  let offset = 1000;
  return body
    .split('~')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((text, i) => {
      const [tag = '', ...elements] = text.split('*');
      const seg: X12Segment = { tag, elements, index: stIndex + 1 + i, byteOffset: offset };
      offset += text.length + 1;
      return seg;
    });
}

/** EDIFACT with default delimiters and '?' release: "BGM+85+X+9'..." → segments after UNH. */
export function edifactSegments(body: string, unhIndex = 2): EdifactSegment[] {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch === '?' && i + 1 < body.length) {
      current += ch + body[++i];
    } else if (ch === "'") {
      segments.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '') segments.push(current.trim());
  const split = (text: string, sep: string): string[] => {
    const out: string[] = [];
    let part = '';
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] as string;
      if (ch === '?' && i + 1 < text.length) part += ch + text[++i];
      else if (ch === sep) {
        out.push(part);
        part = '';
      } else part += ch;
    }
    out.push(part);
    return out;
  };
  const unrelease = (s: string) => s.replace(/\?(.)/g, '$1');
  let offset = 1000;
  return segments
    .filter((s) => s !== '')
    .map((text, i) => {
      const [tag = '', ...elements] = split(text, '+');
      const seg: EdifactSegment = {
        tag,
        elements: elements.map((e) => split(e, ':').map(unrelease)),
        index: unhIndex + 1 + i,
        byteOffset: offset,
      };
      offset += text.length + 1;
      return seg;
    });
}

export interface RunOptions {
  ctx?: Partial<NormalizeContext>;
  ic?: Partial<X12InterchangeHeader>;
  msg?: Partial<MessageHeader>;
}

export function runX12(type: string, body: string, options: RunOptions = {}): NormalizeOutput {
  const n = createX12Normalizer(
    x12Interchange(options.ic),
    messageHeader(type, options.msg),
    context(options.ctx),
  );
  if (n === undefined) throw new Error(`no normalizer for ${type}`);
  for (const seg of x12Segments(body, options.msg?.segmentIndex ?? 2)) n.segment(seg);
  return n.finish(OK);
}

export interface EdifactRunOptions {
  ctx?: Partial<NormalizeContext>;
  ic?: Partial<EdifactInterchangeHeader>;
  msg?: Partial<MessageHeader>;
}

export function runEdifact(type: string, body: string, options: EdifactRunOptions = {}): NormalizeOutput {
  const n = createEdifactNormalizer(
    edifactInterchange(options.ic),
    messageHeader(type, options.msg),
    context(options.ctx),
  );
  if (n === undefined) throw new Error(`no normalizer for ${type}`);
  for (const seg of edifactSegments(body, options.msg?.segmentIndex ?? 2)) n.segment(seg);
  return n.finish(OK);
}

export function only<T>(list: readonly T[]): T {
  if (list.length !== 1) throw new Error(`expected exactly one item, got ${list.length}`);
  return list[0] as T;
}

export function profileWith(partners: Record<string, Record<string, unknown>>): InboundProfile {
  return { ...DEFAULT_INBOUND_PROFILE, partners };
}

/** What one file gives: per message, its normalizer output; plus every reader issue. */
export interface FileRun {
  messages: Array<{ type: string; reference: string; ok: boolean; output: NormalizeOutput | 'unsupported' }>;
  events: ShipmentEvent[];
  rejected: ShipmentRejection[];
  issues: Issue[];
  readerIssues: Issue[];
}

/** Feeds a whole file through the real readers and the normalizers, in chunks of `chunkSize` bytes. */
export function runFile(
  bytes: Uint8Array,
  fileName: string,
  ctx: NormalizeContext,
  chunkSize = 4096,
): FileRun {
  const run: FileRun = { messages: [], events: [], rejected: [], issues: [], readerIssues: [] };
  function sink<H extends InterchangeHeader, S>(
    create: (ic: H, msg: MessageHeader) => MessageNormalizer<S> | undefined,
  ): ReaderSink<H, S> {
    let current: MessageNormalizer<S> | undefined;
    return {
      interchangeStart: () => {},
      messageStart: (ic, msg) => {
        current = create(ic, msg);
      },
      segment: (seg) => current?.segment(seg),
      messageEnd: (_ic, msg, result) => {
        if (current === undefined) {
          run.messages.push({
            type: msg.type,
            reference: msg.reference,
            ok: result.ok,
            output: 'unsupported',
          });
        } else {
          const output = current.finish(result);
          run.messages.push({ type: msg.type, reference: msg.reference, ok: result.ok, output });
          if (result.ok) {
            run.events.push(...output.events);
            run.rejected.push(...output.rejected);
            run.issues.push(...output.issues);
          }
        }
        current = undefined;
        run.readerIssues.push(...result.issues);
      },
      interchangeEnd: (_h, result) => {
        for (const issue of result.issues)
          if (!run.readerIssues.includes(issue)) run.readerIssues.push(issue);
      },
      fileIssue: (issue) => run.readerIssues.push(issue),
    };
  }
  const reader = createFileReader(
    { fileName, strict: false },
    {
      x12: () => sink<X12InterchangeHeader, X12Segment>((ic, msg) => createX12Normalizer(ic, msg, ctx)),
      edifact: () =>
        sink<EdifactInterchangeHeader, EdifactSegment>((ic, msg) => createEdifactNormalizer(ic, msg, ctx)),
      standard: () => {},
      fileIssue: (issue) => run.readerIssues.push(issue),
    },
  );
  for (let i = 0; i < bytes.length; i += chunkSize) reader.push(bytes.subarray(i, i + chunkSize));
  reader.end();
  return run;
}
