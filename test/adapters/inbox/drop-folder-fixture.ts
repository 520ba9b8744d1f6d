import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DropFolder, type DropFolderOptions } from '../../../src/adapters/inbox/drop-folder.js';

export interface DropFolderFixture {
  root: string;
  dirs: DropFolderOptions['dirs'];
  ledgerPath: string;
  open(extra?: Partial<DropFolderOptions>): Promise<DropFolder>;
  list(dir: string): Promise<string[]>;
  cleanup(): Promise<void>;
}

export async function dropFolderFixture(): Promise<DropFolderFixture> {
  const root = await mkdtemp(join(tmpdir(), 's321-drop-'));
  const dirs = {
    inbox: join(root, 'inbox'),
    processing: join(root, 'processing'),
    archive: join(root, 'archive'),
    quarantine: join(root, 'quarantine'),
  };
  const ledgerPath = join(root, 'ledger.jsonl');
  return {
    root,
    dirs,
    ledgerPath,
    open: (extra = {}) =>
      DropFolder.open({ dirs, ledgerPath, maxFileBytes: 1_000_000, pollIntervalMs: 20, ...extra }),
    list: async (dir) => (await readdir(dir)).sort(),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
