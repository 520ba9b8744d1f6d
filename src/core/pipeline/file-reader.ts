/**
 * Reads one file of either standard: buffers the first bytes until the standard is known (ISA → X12,
 * UNA/UNB/UNH → EDIFACT, after an optional BOM and whitespace), then streams everything, from byte 0,
 * into that standard's reader. Anything else is INTAKE_NOT_EDI, reported with its byte offset.
 */
import { createEdifactReader } from '../edifact/reader.js';
import type { Issue } from '../model/issue.js';
import type { EdifactSink, ReaderOptions, Standard, StreamReader, X12Sink } from '../model/reader.js';
import { createX12Reader } from '../x12/reader.js';

export interface FileReaderHandlers {
  x12: () => X12Sink;
  edifact: () => EdifactSink;
  /** Called once when the standard is known (null: not EDI). */
  standard: (standard: Standard | null) => void;
  fileIssue: (issue: Issue) => void;
}

const PROBE_LIMIT = 4096;

export function detectStandard(head: Uint8Array): Standard | null | 'undecided' {
  let i = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0d || head[i] === 0x0a))
    i++;
  if (head.length - i < 3) return head.length >= PROBE_LIMIT ? null : 'undecided';
  const tag = String.fromCharCode(head[i] as number, head[i + 1] as number, head[i + 2] as number);
  if (tag === 'ISA') return 'x12';
  if (tag === 'UNA' || tag === 'UNB' || tag === 'UNH') return 'edifact';
  return null;
}

export function createFileReader(options: ReaderOptions, handlers: FileReaderHandlers): StreamReader {
  let inner: StreamReader | undefined;
  let decided = false;
  let head: Uint8Array = new Uint8Array(0);
  let total = 0;

  const decide = (standard: Standard | null): void => {
    decided = true;
    handlers.standard(standard);
    if (standard === 'x12') inner = createX12Reader(handlers.x12(), options);
    else if (standard === 'edifact') inner = createEdifactReader(handlers.edifact(), options);
    else {
      handlers.fileIssue({
        code: 'INTAKE_NOT_EDI',
        severity: 'error',
        message: 'not an EDI interchange: no ISA, UNA or UNB at the start of the file',
        file: options.fileName,
        byteOffset: 0,
      });
    }
    if (inner !== undefined && head.length > 0) inner.push(head);
    head = new Uint8Array(0);
  };

  return {
    push(chunk: Uint8Array): void {
      total += chunk.length;
      if (decided) {
        inner?.push(chunk);
        return;
      }
      const joined = new Uint8Array(head.length + chunk.length);
      joined.set(head, 0);
      joined.set(chunk, head.length);
      head = joined;
      const standard = detectStandard(head);
      if (standard !== 'undecided') decide(standard);
    },
    end(): void {
      if (!decided) {
        const standard = detectStandard(head);
        decide(standard === 'undecided' ? null : standard);
        if (total === 0) return;
      }
      inner?.end();
    },
  };
}
