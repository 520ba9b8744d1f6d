/**
 * createEdifactReader: the UN/EDIFACT StreamReader. Bytes are pushed in chunks of any size; the
 * tokenizer cuts segments, the envelope checks them and calls the sink synchronously. Memory is
 * bounded by the longest segment (maxSegmentLength, default 1 MiB) plus one chunk.
 */
import type { EdifactSink, ReaderOptions, StreamReader } from '../model/reader.js';
import { EdifactEnvelope } from './envelope.js';
import { EdifactTokenizer } from './tokenizer.js';

export const DEFAULT_MAX_SEGMENT_LENGTH = 1024 * 1024;

export function createEdifactReader(sink: EdifactSink, options: ReaderOptions): StreamReader {
  const envelope = new EdifactEnvelope(sink, { fileName: options.fileName, strict: options.strict });
  const limit = options.maxSegmentLength;
  const maxSegmentLength =
    limit !== undefined && Number.isFinite(limit) && limit > 0 ? limit : DEFAULT_MAX_SEGMENT_LENGTH;
  const tokenizer = new EdifactTokenizer(envelope, maxSegmentLength);
  let offset = 0;
  let ended = false;
  return {
    push(chunk: Uint8Array): void {
      if (ended) return;
      offset += chunk.length;
      tokenizer.push(chunk);
    },
    end(): void {
      if (ended) return;
      ended = true;
      tokenizer.end();
      envelope.end(offset);
    },
  };
}
