/**
 * The intake ledger: one JSON line per event, appended with O_APPEND and fsync, so every input file
 * can be accounted for: received → processed | quarantined (| requeued, then received again).
 * Several processes may append to the same ledger: each entry is one write(2) of one line.
 */
import { open, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { z } from 'zod';

const Common = {
  at: z.string(),
  claimId: z.string(),
  /** The file's name as received (JSON escapes any oddity). */
  name: z.string(),
};

export const LedgerEntrySchema = z.discriminatedUnion('event', [
  z.object({
    event: z.literal('received'),
    ...Common,
    /** Hex of the raw name bytes when they are not valid UTF-8. */
    nameHex: z.string().optional(),
    size: z.number().int().nonnegative(),
    /** null for entries that are not regular files (never opened). */
    sha256: z.string().nullable(),
    host: z.string(),
    pid: z.number().int(),
  }),
  z.object({
    event: z.literal('processed'),
    ...Common,
    size: z.number().int(),
    sha256: z.string().nullable(),
    day: z.string(),
    path: z.string(),
  }),
  z.object({
    event: z.literal('quarantined'),
    ...Common,
    size: z.number().int(),
    sha256: z.string().nullable(),
    codes: z.array(z.string()),
    path: z.string(),
    reasonPath: z.string(),
  }),
  z.object({ event: z.literal('requeued'), ...Common, path: z.string() }),
]);
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type LedgerEntryInput = DistributiveOmit<LedgerEntry, 'at' | 'host' | 'pid'>;

export class Ledger {
  constructor(
    readonly path: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async append(entry: LedgerEntryInput): Promise<LedgerEntry> {
    const full = (
      entry.event === 'received'
        ? { ...entry, at: this.now().toISOString(), host: hostname(), pid: process.pid }
        : { ...entry, at: this.now().toISOString() }
    ) as LedgerEntry;
    const fh = await open(this.path, 'a', 0o640);
    try {
      await fh.write(`${JSON.stringify(full)}\n`);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    return full;
  }
}

export interface LedgerRead {
  entries: LedgerEntry[];
  /** 1-based line numbers that are not valid entries (a torn last line after a crash, say). */
  badLines: number[];
}

export async function readLedger(path: string): Promise<LedgerRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], badLines: [] };
    throw err;
  }
  const entries: LedgerEntry[] = [];
  const badLines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (line === '') return;
    try {
      const parsed = LedgerEntrySchema.safeParse(JSON.parse(line));
      if (parsed.success) entries.push(parsed.data);
      else badLines.push(i + 1);
    } catch {
      badLines.push(i + 1);
    }
  });
  return { entries, badLines };
}

export interface LedgerBalance {
  received: number;
  processed: number;
  quarantined: number;
  requeued: number;
  /** Claims received with no outcome yet (being processed, or left by a crash). */
  open: Array<{ claimId: string; name: string }>;
  /** Outcomes without a receipt, or more than one outcome for a claim. */
  anomalies: Array<{ claimId: string; problem: string }>;
}

/** Checks that every received claim has exactly one outcome. */
export function ledgerBalance(entries: readonly LedgerEntry[]): LedgerBalance {
  const claims = new Map<string, { name: string; outcomes: number }>();
  const balance: LedgerBalance = {
    received: 0,
    processed: 0,
    quarantined: 0,
    requeued: 0,
    open: [],
    anomalies: [],
  };
  for (const e of entries) {
    if (e.event === 'received') {
      balance.received++;
      if (claims.has(e.claimId)) balance.anomalies.push({ claimId: e.claimId, problem: 'received twice' });
      claims.set(e.claimId, { name: e.name, outcomes: 0 });
      continue;
    }
    balance[e.event]++;
    const claim = claims.get(e.claimId);
    if (claim === undefined)
      balance.anomalies.push({ claimId: e.claimId, problem: `${e.event} without received` });
    else if (++claim.outcomes > 1)
      balance.anomalies.push({ claimId: e.claimId, problem: `more than one outcome (${e.event})` });
  }
  for (const [claimId, c] of claims) if (c.outcomes === 0) balance.open.push({ claimId, name: c.name });
  return balance;
}
