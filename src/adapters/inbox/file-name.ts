/**
 * File-name policy of the edges (drop folder, SFTP listing, enqueue): which names are ignored as
 * uploads in progress, and which are unsafe to use as a path component anywhere downstream.
 */

export interface NameProblem {
  rule: 'empty' | 'dot-path' | 'separator' | 'dot-dot' | 'control' | 'encoding' | 'too-long';
  message: string;
  /** 0-based UTF-16 index of the offending character, when there is one. */
  index?: number;
}

/** Default cap in UTF-8 bytes: Linux NAME_MAX is 255, and claims prepend a ~25-byte id. */
export const DEFAULT_MAX_NAME_BYTES = 200;

/** Uploads in progress by convention: dot-files, *.part, *.tmp (any case). Never claimed. */
export function isInProgressName(name: string): boolean {
  const lower = name.toLowerCase();
  return name.startsWith('.') || lower.endsWith('.part') || lower.endsWith('.tmp');
}

// C0 controls, DEL, C1 controls, and the Unicode bidi/format controls that can disguise a name.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this regex's job
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * Problems of a name as a single path component; empty when safe. `raw` is the name's bytes as the
 * directory listed them, when known: a name that is not valid UTF-8 cannot be represented faithfully.
 */
export function checkFileName(
  name: string,
  options: { maxBytes?: number; raw?: Uint8Array } = {},
): NameProblem[] {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_NAME_BYTES;
  const problems: NameProblem[] = [];
  if (name === '') return [{ rule: 'empty', message: 'empty file name' }];
  if (name === '.' || name === '..')
    problems.push({ rule: 'dot-path', message: `"${name}" is a directory reference` });
  const sep = name.search(/[/\\]/);
  if (sep >= 0) problems.push({ rule: 'separator', message: 'path separator in the name', index: sep });
  const dots = name.indexOf('..');
  if (dots >= 0 && name !== '..')
    problems.push({ rule: 'dot-dot', message: '".." in the name', index: dots });
  const ctl = CONTROL.exec(name);
  if (ctl !== null) {
    const cp = ctl[0].codePointAt(0) ?? 0;
    problems.push({
      rule: 'control',
      message: `control character U+${cp.toString(16).toUpperCase().padStart(4, '0')} in the name`,
      index: ctl.index,
    });
  }
  const replacement = name.indexOf('\uFFFD');
  if (options.raw !== undefined && !Buffer.from(name, 'utf8').equals(Buffer.from(options.raw))) {
    problems.push({
      rule: 'encoding',
      message: 'the name is not valid UTF-8',
      ...(replacement >= 0 ? { index: replacement } : {}),
    });
  }
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > maxBytes)
    problems.push({ rule: 'too-long', message: `name is ${bytes} bytes, over the ${maxBytes}-byte limit` });
  return problems;
}

/**
 * A harmless stand-in for an unsafe name, used for its quarantine file name (the real name is kept,
 * JSON-escaped, in the reason file and the ledger).
 */
export function sanitizeFileName(name: string, maxBytes = 100): string {
  let out = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/\.{2,}/g, '_');
  if (out.startsWith('.')) out = `_${out.slice(1)}`;
  if (out.length > maxBytes) out = out.slice(0, maxBytes);
  return out === '' ? 'unnamed' : out;
}
