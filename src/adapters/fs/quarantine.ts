/**
 * Quarantine copies of rejected inputs, one per input, never overwriting another: inputs with the
 * same base name from two folders, or names that sanitise alike (`a b.edi` / `a_b.edi`), used to
 * leave one copy and one reason for several files. The reason file (created exclusively) claims a
 * name; a name already claimed by another input gets `~2`, `~3`, … before its extension. The same
 * input (same name, same content) quarantined again — a rerun after a crash — reuses its claim.
 */
import { constants, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { safeOutputName } from './safe-name.js';

export interface QuarantineReason {
  file: string;
  sha256: string | null;
  [more: string]: unknown;
}

export interface QuarantinedCopy {
  /** The copy's name in the quarantine folder; its reason is `<name>.reason.json`. */
  name: string;
}

const MAX_TRIES = 10_000;

export function quarantineInput(dir: string, sourcePath: string, reason: QuarantineReason): QuarantinedCopy {
  const base = safeOutputName(reason.file);
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  const ext = dot > 0 ? base.slice(dot) : '';
  const text = `${JSON.stringify(reason, null, 2)}\n`;
  for (let k = 1; k <= MAX_TRIES; k++) {
    const name = k === 1 ? base : `${stem}~${k}${ext}`;
    const reasonPath = join(dir, `${name}.reason.json`);
    try {
      writeFileSync(reasonPath, text, { flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (!claimedBy(reasonPath, reason)) continue;
    }
    try {
      copyFileSync(sourcePath, join(dir, name), constants.COPYFILE_EXCL);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    return { name };
  }
  throw new Error(`quarantine ${dir}: no free name for ${reason.file} after ${MAX_TRIES} tries`);
}

function claimedBy(reasonPath: string, reason: QuarantineReason): boolean {
  try {
    const held = JSON.parse(readFileSync(reasonPath, 'utf8')) as Partial<QuarantineReason>;
    return held.file === reason.file && held.sha256 === reason.sha256;
  } catch {
    return false; // torn or foreign: not ours
  }
}
