import { execFileSync } from 'node:child_process';
import { appendFile, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClaimedFile, QuarantineReasonFile } from '../../../src/adapters/inbox/drop-folder.js';
import { ledgerBalance, readLedger } from '../../../src/adapters/inbox/ledger.js';
import type { Issue } from '../../../src/core/model/issue.js';
import { type DropFolderFixture, dropFolderFixture, sha256 } from './drop-folder-fixture.js';

let fx: DropFolderFixture;
beforeEach(async () => {
  fx = await dropFolderFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

async function reasonOf(path: string): Promise<QuarantineReasonFile> {
  return JSON.parse(await readFile(path, 'utf8')) as QuarantineReasonFile;
}

describe('drop folder: complete uploads only', () => {
  it('takes a file only once size and mtime held still over two polls', async () => {
    const drop = await fx.open();
    const file = join(fx.dirs.inbox, 'm309.edi');
    await writeFile(file, 'ISA*00*');
    expect(await drop.pollOnce()).toEqual([]); // first sight
    await appendFile(file, 'more bytes');
    expect(await drop.pollOnce()).toEqual([]); // changed: counting starts again
    expect(await fx.list(fx.dirs.inbox)).toEqual(['m309.edi']);
    const [claimed, ...rest] = await drop.pollOnce();
    expect(rest).toEqual([]);
    expect(claimed?.name).toBe('m309.edi');
    expect(claimed?.size).toBe('ISA*00*more bytes'.length);
    expect(claimed?.sha256).toBe(sha256('ISA*00*more bytes'));
    expect(await readFile(claimed?.path ?? '', 'utf8')).toBe('ISA*00*more bytes');
    expect(await fx.list(fx.dirs.inbox)).toEqual([]);
  });

  it('never touches dot-files, *.part and *.tmp, and takes the file once renamed', async () => {
    const drop = await fx.open();
    await writeFile(join(fx.dirs.inbox, '.upload.edi'), 'x');
    await writeFile(join(fx.dirs.inbox, 'big.edi.part'), 'x');
    await writeFile(join(fx.dirs.inbox, 'big.edi.PART'), 'x');
    await writeFile(join(fx.dirs.inbox, 'c.TMP'), 'x');
    for (let i = 0; i < 4; i++) expect(await drop.pollOnce()).toEqual([]);
    await rename(join(fx.dirs.inbox, 'big.edi.part'), join(fx.dirs.inbox, 'big.edi'));
    expect(await drop.pollOnce()).toEqual([]);
    expect((await drop.pollOnce()).map((f) => f.name)).toEqual(['big.edi']);
    expect(await fx.list(fx.dirs.inbox)).toEqual(['.upload.edi', 'big.edi.PART', 'c.TMP']);
  });

  it('leaves a file that changed since the scan in the inbox until it is stable again', async () => {
    const drop = await fx.open({ stablePolls: 1 });
    await writeFile(join(fx.dirs.inbox, 'a.edi'), 'aaa');
    await writeFile(join(fx.dirs.inbox, 'b.edi'), 'bbb');
    const ac = new AbortController();
    const seen: string[] = [];
    const timer = setTimeout(() => ac.abort(), 300);
    for await (const f of drop.claims({ signal: ac.signal })) {
      seen.push(f.name);
      // The iterator claims lazily: the other file is still in the inbox, and "the uploader" writes on.
      if (seen.length === 1)
        await appendFile(join(fx.dirs.inbox, f.name === 'a.edi' ? 'b.edi' : 'a.edi'), 'late');
    }
    clearTimeout(timer);
    // Skipped at first, then claimed by a later poll of the loop with its full content.
    expect(seen.sort()).toEqual(['a.edi', 'b.edi']);
    expect(await fx.list(fx.dirs.quarantine)).toEqual([]);
  });

  it('quarantines a file written to after the last check (INBOX_CHANGED_AFTER_CLAIM)', async () => {
    let armed = false;
    const target = join(fx.dirs.inbox, 'slow.edi');
    const drop = await fx.open({
      stablePolls: 1,
      // now() is read between the last stat and the claim: a late write lands exactly there.
      now: () => {
        if (armed) {
          armed = false;
          execFileSync('sh', ['-c', 'printf more >> "$1"', 'sh', target]);
        }
        return new Date('2025-08-12T12:00:00Z');
      },
    });
    await writeFile(target, 'ISA');
    armed = true;
    expect(await drop.pollOnce()).toEqual([]);
    const reason = await reasonOf(join(fx.dirs.quarantine, 'slow.edi.reason.json'));
    expect(reason.reasons.map((r) => r.code)).toEqual(['INBOX_CHANGED_AFTER_CLAIM']);
    expect(reason.size).toBe(7);
    expect(reason.sha256).toBe(sha256('ISAmore'));
  });
});

describe('drop folder: atomic claims', () => {
  it('two concurrent claimers never take the same file, and every file is taken', async () => {
    const a = await fx.open({ stablePolls: 1 });
    const b = await fx.open({ stablePolls: 1 });
    const n = 150;
    for (let i = 0; i < n; i++)
      await writeFile(join(fx.dirs.inbox, `f${String(i).padStart(3, '0')}.edi`), `content ${i}`);
    const taken: { by: string; file: ClaimedFile }[] = [];
    for (let round = 0; round < 5 && taken.length < n; round++) {
      const [ra, rb] = await Promise.all([a.pollOnce(), b.pollOnce()]);
      taken.push(...ra.map((file) => ({ by: 'a', file })), ...rb.map((file) => ({ by: 'b', file })));
    }
    const names = taken.map((t) => t.file.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBe(n);
    // Both really competed (each listed all 150 files and raced on the renames).
    expect(taken.some((t) => t.by === 'a')).toBe(true);
    expect(taken.some((t) => t.by === 'b')).toBe(true);
    expect(await fx.list(fx.dirs.processing)).toHaveLength(n);
    for (const t of taken)
      expect(await readFile(t.file.path, 'utf8')).toBe(`content ${Number(t.file.name.slice(1, 4))}`);
    const { entries } = await readLedger(fx.ledgerPath);
    expect(entries.filter((e) => e.event === 'received')).toHaveLength(n);
    expect(ledgerBalance(entries).anomalies).toEqual([]);
  });
});

describe('drop folder: refused at the edge', () => {
  it('quarantines unsafe names with a reason file naming the rule, never yields them', async () => {
    const drop = await fx.open({ stablePolls: 1 });
    const unsafe = [
      'back\\slash.edi',
      'x..y.edi',
      'bell\u0007.edi',
      'new\nline.edi',
      `${'n'.repeat(201)}.edi`,
      'rtl\u202Eide.exe',
    ];
    for (const name of unsafe) await writeFile(join(fx.dirs.inbox, name), `data of ${name}`);
    // A name that is not UTF-8 at all (byte 0xff).
    await writeFile(
      Buffer.concat([Buffer.from(`${fx.dirs.inbox}/bad`), Buffer.from([0xff]), Buffer.from('.edi')]),
      'latin',
    );
    await writeFile(join(fx.dirs.inbox, 'fine.edi'), 'ok');

    const claimed = await drop.pollOnce();
    expect(claimed.map((f) => f.name)).toEqual(['fine.edi']);
    expect(await fx.list(fx.dirs.inbox)).toEqual([]);

    const quarantined = await fx.list(fx.dirs.quarantine);
    const reasons = await Promise.all(
      quarantined.filter((n) => n.endsWith('.reason.json')).map((n) => reasonOf(join(fx.dirs.quarantine, n))),
    );
    expect(reasons).toHaveLength(unsafe.length + 1);
    for (const r of reasons) {
      expect(r.reasons.every((i) => i.code === 'INBOX_UNSAFE_NAME')).toBe(true);
      expect(r.reasons[0]?.file).toBe(r.file);
    }
    expect(reasons.map((r) => r.file).sort()).toEqual([...unsafe, 'bad\uFFFD.edi'].sort());
    expect(reasons.find((r) => r.file === 'bad\uFFFD.edi')?.nameHex).toBe(
      Buffer.from('bad\xff.edi', 'latin1').toString('hex'),
    );
    expect(reasons.find((r) => r.file === 'x..y.edi')?.reasons[0]).toMatchObject({
      message: '".." in the name',
      byteOffset: 1,
    });
    // The quarantined copies carry harmless names: claim id + sanitized name, no control chars.
    for (const n of quarantined) expect(n).toMatch(/^[0-9a-z]+-[0-9a-z]+-[0-9a-f]{8}__[A-Za-z0-9._-]+$/);
    // Content untouched.
    const bell = reasons.find((r) => r.file === 'bell\u0007.edi');
    expect(bell?.sha256).toBe(sha256('data of bell\u0007.edi'));
  });

  it('quarantines symlinks and FIFOs without opening them', async () => {
    const drop = await fx.open({ stablePolls: 1 });
    const secret = join(fx.root, 'secret.txt');
    await writeFile(secret, 'do not read');
    await symlink(secret, join(fx.dirs.inbox, 'link.edi'));
    execFileSync('mkfifo', [join(fx.dirs.inbox, 'pipe.edi')]);
    expect(await drop.pollOnce()).toEqual([]);
    for (const name of ['link.edi', 'pipe.edi']) {
      const r = await reasonOf(join(fx.dirs.quarantine, `${name}.reason.json`));
      expect(r.reasons.map((i) => i.code)).toEqual(['INBOX_NOT_REGULAR_FILE']);
      expect(r.sha256).toBeNull();
    }
    expect(await readFile(secret, 'utf8')).toBe('do not read');
  });

  it('enforces the size limit: at the limit is taken, one byte over is quarantined', async () => {
    const drop = await fx.open({ stablePolls: 1, maxFileBytes: 1000 });
    await writeFile(join(fx.dirs.inbox, 'at.edi'), Buffer.alloc(1000, 0x41));
    await writeFile(join(fx.dirs.inbox, 'over.edi'), Buffer.alloc(1001, 0x41));
    expect((await drop.pollOnce()).map((f) => f.name)).toEqual(['at.edi']);
    const r = await reasonOf(join(fx.dirs.quarantine, 'over.edi.reason.json'));
    expect(r.reasons).toEqual([
      {
        code: 'INTAKE_TOO_LARGE',
        severity: 'error',
        message: '1001 bytes, over the 1000-byte limit',
        file: 'over.edi',
        byteOffset: 1000,
      },
    ]);
    expect(r.size).toBe(1001);
    expect(await readFile(join(fx.dirs.quarantine, 'over.edi'))).toHaveLength(1001);
  });
});

describe('drop folder: archive, quarantine and the ledger', () => {
  it('archives by the given day or the configured zone, quarantines with issues, accounts for every file', async () => {
    // 03:00 UTC on 1 March is still 28 February in New York: the day must not come from UTC or the machine.
    const drop = await fx.open({
      stablePolls: 1,
      timeZone: 'America/New_York',
      now: () => new Date('2025-03-01T03:00:00Z'),
    });
    const contents: Record<string, string> = {
      'one.edi': 'ISA one',
      'two.edi': 'ISA two',
      'three.edi': 'UNB three',
    };
    for (const [name, data] of Object.entries(contents)) await writeFile(join(fx.dirs.inbox, name), data);
    const claimed = new Map((await drop.pollOnce()).map((f) => [f.name, f]));
    expect([...claimed.keys()].sort()).toEqual(['one.edi', 'three.edi', 'two.edi']);
    const get = (n: string): ClaimedFile => claimed.get(n) as ClaimedFile;

    const one = await drop.complete(get('one.edi'), { status: 'processed', day: '2025-08-12' });
    expect(one.path).toBe(join(fx.dirs.archive, '2025-08-12', 'one.edi'));
    const two = await drop.complete(get('two.edi'), { status: 'processed' });
    expect(two.path).toBe(join(fx.dirs.archive, '2025-02-28', 'two.edi'));
    const issue: Issue = {
      code: 'PIPELINE_UNSUPPORTED_MESSAGE',
      severity: 'error',
      message: 'CUSDEC is not processed',
      file: 'three.edi',
      interchangeControl: '42',
      messageRef: 'M1',
      segmentIndex: 3,
      segmentTag: 'UNH',
      byteOffset: 57,
    };
    const three = await drop.complete(get('three.edi'), { status: 'quarantined', reasons: [issue] });
    expect(three.path).toBe(join(fx.dirs.quarantine, 'three.edi'));
    expect(three.reasonPath).toBe(join(fx.dirs.quarantine, 'three.edi.reason.json'));
    const reason = await reasonOf(three.reasonPath ?? '');
    expect(reason).toMatchObject({
      file: 'three.edi',
      size: 9,
      sha256: sha256('UNB three'),
      reasons: [issue],
    });

    expect(await readFile(one.path, 'utf8')).toBe('ISA one');
    expect(await fx.list(fx.dirs.processing)).toEqual([]);
    await expect(drop.complete(get('one.edi'), { status: 'processed' })).rejects.toThrow(/not an open claim/);

    const { entries, badLines } = await readLedger(fx.ledgerPath);
    expect(badLines).toEqual([]);
    const balance = ledgerBalance(entries);
    expect(balance).toMatchObject({
      received: 3,
      processed: 2,
      quarantined: 1,
      requeued: 0,
      open: [],
      anomalies: [],
    });
    for (const e of entries)
      if (e.event !== 'requeued') expect(e.sha256).toBe(sha256(contents[e.name] ?? ''));
    expect(entries.find((e) => e.event === 'quarantined')).toMatchObject({
      codes: ['PIPELINE_UNSUPPORTED_MESSAGE'],
    });
  });

  it('a resent file with the same name the same day never overwrites the archived one', async () => {
    const drop = await fx.open({ stablePolls: 1 });
    await writeFile(join(fx.dirs.inbox, 'same.edi'), 'first');
    const [first] = await drop.pollOnce();
    await drop.complete(first as ClaimedFile, { status: 'processed', day: '2025-01-11' });
    await writeFile(join(fx.dirs.inbox, 'same.edi'), 'second');
    const [second] = await drop.pollOnce();
    const done = await drop.complete(second as ClaimedFile, { status: 'processed', day: '2025-01-11' });
    const archived = await fx.list(join(fx.dirs.archive, '2025-01-11'));
    expect(archived).toEqual([`${second?.claimId}__same.edi`, 'same.edi'].sort());
    expect(await readFile(join(fx.dirs.archive, '2025-01-11', 'same.edi'), 'utf8')).toBe('first');
    expect(await readFile(done.path, 'utf8')).toBe('second');
  });

  it('refuses a malformed archive day, keeping the claim open', async () => {
    const drop = await fx.open({ stablePolls: 1 });
    await writeFile(join(fx.dirs.inbox, 'd.edi'), 'x');
    const [f] = await drop.pollOnce();
    await expect(drop.complete(f as ClaimedFile, { status: 'processed', day: '2025-02-30' })).rejects.toThrow(
      RangeError,
    );
    await expect(drop.complete(f as ClaimedFile, { status: 'processed', day: '../../etc' })).rejects.toThrow(
      RangeError,
    );
    expect((await drop.complete(f as ClaimedFile, { status: 'processed', day: '2025-02-28' })).status).toBe(
      'processed',
    );
  });

  it('requeues claims left by a crashed process, and they are accounted for', async () => {
    let clock = new Date('2025-08-12T10:00:00Z');
    const crashed = await fx.open({ stablePolls: 1, now: () => clock });
    await writeFile(join(fx.dirs.inbox, 'orphan.edi'), 'orphan');
    expect(await crashed.pollOnce()).toHaveLength(1); // ...and the process dies before complete()

    clock = new Date('2025-08-12T10:30:00Z');
    const survivor = await fx.open({ stablePolls: 1, now: () => clock });
    expect(await survivor.requeueStale(60 * 60_000)).toEqual([]); // 30 min < 1 h: maybe still running
    expect(await survivor.requeueStale(10 * 60_000)).toEqual([join(fx.dirs.inbox, 'orphan.edi')]);
    const [again] = await survivor.pollOnce();
    expect(again?.name).toBe('orphan.edi');
    expect(ledgerBalance((await readLedger(fx.ledgerPath)).entries)).toMatchObject({
      received: 2,
      requeued: 1,
      open: [{ name: 'orphan.edi' }],
    });
    await survivor.complete(again as ClaimedFile, { status: 'processed', day: '2025-08-12' });
    const balance = ledgerBalance((await readLedger(fx.ledgerPath)).entries);
    expect(balance).toMatchObject({ received: 2, requeued: 1, processed: 1, open: [], anomalies: [] });
  });

  it('the iterator stops promptly on abort, and breaking out leaves unclaimed files in the inbox', async () => {
    const drop = await fx.open({ stablePolls: 1, pollIntervalMs: 10_000 });
    for (const n of ['a.edi', 'b.edi', 'c.edi']) await writeFile(join(fx.dirs.inbox, n), n);
    for await (const f of drop.claims()) {
      expect(f.name).toMatch(/\.edi$/);
      break;
    }
    expect(await fx.list(fx.dirs.inbox)).toHaveLength(2);
    const ac = new AbortController();
    const started = Date.now();
    const names: string[] = [];
    setTimeout(() => ac.abort(), 100);
    for await (const f of drop.claims({ signal: ac.signal })) names.push(f.name);
    expect(names).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5_000); // did not sit out the 10 s poll interval
  });
});
