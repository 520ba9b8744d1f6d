import type { Standard } from '../model/reader.js';
import { createFileReader } from '../pipeline/file-reader.js';
import { type InspectReport, InspectSink } from './inspect-sink.js';

/** Inspects bytes already in memory, fed in chunks of `chunkBytes` (fuzzing, chunk-split tests). */
export function inspectBytes(
  bytes: Uint8Array,
  name: string,
  strict: boolean,
  chunkBytes = bytes.length || 1,
): InspectReport {
  const sink = new InspectSink(name);
  let standard: Standard | null = null;
  const reader = createFileReader(
    { fileName: name, strict },
    {
      x12: () => sink,
      edifact: () => sink,
      standard: (s) => {
        standard = s;
      },
      fileIssue: (i) => sink.fileIssue(i),
    },
  );
  for (let i = 0; i < bytes.length; i += chunkBytes) reader.push(bytes.subarray(i, i + chunkBytes));
  reader.end();
  return sink.finish(bytes.length, standard);
}
