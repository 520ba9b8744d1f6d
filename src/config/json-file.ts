/**
 * Reads a JSON file the operator gave (service config, --partners, --rates). Every failure is a
 * ConfigError naming the file and saying why: unreadable (with the reason in words), empty, or a
 * syntax error at line and column. V8's own parse message is not used: it quotes the text, which
 * may hold a secret.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from './config-error.js';
import { jsonErrorOffset, lineColumn } from './json-error-position.js';

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
};

export async function readJsonFile(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'read error';
    throw new ConfigError(file, [
      {
        path: '',
        message: `cannot read ${what} (${code})${READ_ERRORS[code] !== undefined ? `: ${READ_ERRORS[code]}` : ''}`,
      },
    ]);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ConfigError(file, [{ path: '', message: `${what} is not valid JSON${jsonErrorWhere(text)}` }]);
  }
}

/** " at line L column C" of the first syntax error. */
function jsonErrorWhere(text: string): string {
  if (text.trim() === '') return ' (the file is empty)';
  const offset = jsonErrorOffset(text);
  if (offset === undefined) return '';
  const { line, column } = lineColumn(text, offset);
  return ` at line ${line} column ${column}`;
}
