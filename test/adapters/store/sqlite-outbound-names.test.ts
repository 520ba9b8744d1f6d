/**
 * Outbound file names in the SQLite store: a taken name is refused with the port's typed error
 * (PIPELINE_OUTBOUND_NAME_TAKEN) and nothing of the refused call is kept, for acknowledgments as for
 * notification files (the contract suite covers recordOutbound across stores). The store leaves
 * the check to the table's primary key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteDecisionStore } from '../../../src/adapters/store/sqlite/sqlite-store.js';
import type { OutboundRecord } from '../../../src/ports/decision-store.js';

const scratch = mkdtempSync(join(tmpdir(), 's321-outbound-names-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ack = (name: string, content = `ack ${name}`): OutboundRecord => ({
  name,
  recipient: 'SNDR',
  channel: 'ack',
  content,
  twin: '',
  decisionIds: [],
});

describe('SQLite outbound file names', () => {
  it('an acknowledgment under a taken name is refused whole: no file, no key recorded', async () => {
    const store = new SqliteDecisionStore(join(scratch, 'acks.db'));
    store.recordAcknowledgments([ack('A1.999')], ['k1']);
    expect(() => store.recordAcknowledgments([ack('A2.999'), ack('A1.999', 'again')], ['k2'])).toThrow(
      expect.objectContaining({ code: 'PIPELINE_OUTBOUND_NAME_TAKEN' }),
    );
    expect(store.acknowledged('k1')).toBe(true);
    expect(store.acknowledged('k2')).toBe(false);
    expect((await store.unwrittenOutbound()).map((f) => [f.name, f.content])).toEqual([
      ['A1.999', 'ack A1.999'],
    ]);
    await store.close();
  });

  it('a notification file under the name of an acknowledgment is refused', async () => {
    const store = new SqliteDecisionStore(join(scratch, 'mixed.db'));
    store.recordAcknowledgments([ack('F.x12')], []);
    await expect(
      store.recordOutbound([{ ...ack('F.x12', 'other'), channel: 'truck-x12-350' }]),
    ).rejects.toMatchObject({
      code: 'PIPELINE_OUTBOUND_NAME_TAKEN',
    });
    expect((await store.unwrittenOutbound()).map((f) => f.content)).toEqual(['ack F.x12']);
    await store.close();
  });
});
