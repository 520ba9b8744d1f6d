import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { type InspectReport, InspectSink } from '../core/inspect/inspect-sink.js';
import type { Standard } from '../core/model/reader.js';
import { createFileReader } from '../core/pipeline/file-reader.js';

export interface InspectOptions {
  strict: boolean;
  maxBytes: number;
  chunkBytes?: number;
}

/** Streams one file through the reader of its standard and reports envelope facts and issues. */
export async function inspectFile(
  path: string,
  name: string,
  options: InspectOptions,
): Promise<InspectReport> {
  const sink = new InspectSink(name);
  const size = (await stat(path)).size;
  if (size > options.maxBytes) {
    sink.fileIssue({
      code: 'INTAKE_TOO_LARGE',
      severity: 'error',
      message: `file is ${size} bytes, over the ${options.maxBytes}-byte limit`,
      file: name,
      byteOffset: options.maxBytes,
    });
    return sink.finish(size, null);
  }
  let standard: Standard | null = null;
  const reader = createFileReader(
    { fileName: name, strict: options.strict },
    {
      x12: () => sink,
      edifact: () => sink,
      standard: (s) => {
        standard = s;
      },
      fileIssue: (i) => sink.fileIssue(i),
    },
  );
  for await (const chunk of createReadStream(path, { highWaterMark: options.chunkBytes ?? 1 << 20 }))
    reader.push(chunk as Buffer);
  reader.end();
  return sink.finish(size, standard);
}
