import { join } from 'node:path';
import { X12Parser } from 'node-x12';
import { describe, expect, it } from 'vitest';
import { ABI_LAYOUTS, checkAbiLayouts } from '../../src/core/generate/abi-records.js';
import { outboundFileName, safeNamePart } from '../../src/core/generate/common.js';
import type { GeneratedFile, OutboundBatch, PartnerProfile } from '../../src/core/generate/index.js';
import {
  DEFAULT_PARTNER_PROFILE,
  generateOutbound,
  resolvePartnerProfile,
} from '../../src/core/generate/index.js';
import { type Channel, ChannelSchema, DecisionSchema } from '../../src/core/model/decision.js';
import { edi } from '../../src/core/model/segment.js';
import { encode, readEdifact, readX12 } from '../ack/read-inbound.js';
import { goldenCases, readJson } from './golden-support.js';

interface Case {
  channel: Channel;
  name: string;
  batch: OutboundBatch;
  partner: PartnerProfile;
}

const cases: Case[] = ChannelSchema.options.flatMap((channel) =>
  goldenCases(channel).map((c) => {
    const input = readJson<{ batch: OutboundBatch; partner?: unknown }>(join(c.dir, 'input.json'));
    const p = resolvePartnerProfile(input.partner ?? {});
    if (!p.ok) throw new Error(`${c.dir}: ${JSON.stringify(p.issues)}`);
    return { channel, name: c.name, batch: input.batch, partner: p.profile };
  }),
);
const byChannel = (...channels: Channel[]) => cases.filter((c) => channels.includes(c.channel));
const run = (c: Case): GeneratedFile => generateOutbound(c.batch, c.partner);

describe('generated X12 350 re-parses cleanly', () => {
  for (const c of byChannel('truck-x12-350', 'carrier-x12-350')) {
    it(`${c.channel}/${c.name}`, () => {
      const file = run(c);
      expect(file.ok).toBe(true);
      const read = readX12(encode(file.content, file.charset));
      expect(read.fileIssues).toEqual([]);
      expect(read.interchanges).toHaveLength(1);
      const ic = read.interchanges[0];
      if (ic === undefined) throw new Error('no interchange');
      expect(ic.ack.result.ok).toBe(true);
      expect(ic.ack.result.issues).toEqual([]);
      expect(ic.ack.messages.map((m) => m.header.reference)).toEqual(file.controlNumbers.messages);
      // Truck: ACE truck 350 guide envelope (AU, 4060); ocean/rail: the CBP ocean 350 guide's (SO, 6050).
      const envelope = c.channel === 'truck-x12-350' ? ['AU', '004060'] : ['SO', '006050'];
      expect(
        ic.ack.messages.every(
          (m) =>
            m.header.type === '350' &&
            m.header.functionalId === envelope[0] &&
            m.header.version === envelope[1],
        ),
      ).toBe(true);
      // One X4 per twin decision, in file order, carrying its bill, code and issuer.
      const x4 = ic.segments.flatMap((m) => m.segments.filter((s) => s.tag === 'X4'));
      // Bills are identifiers: they read back exactly as the decision holds them.
      expect(x4.map((s) => [s.elements[0], s.elements[6], s.elements[8]])).toEqual(
        file.sent.map((l, i) => [file.twin[i]?.scn, l.code, file.twin[i]?.issuer]),
      );
      // One K1-01 remark of at most 60 characters (CSMS 62931096), never split over K1-02.
      for (const k1 of ic.segments.flatMap((m) => m.segments.filter((s) => s.tag === 'K1'))) {
        expect(k1.elements).toHaveLength(1);
        expect(k1.elements[0]?.length ?? 0).toBeLessThanOrEqual(60);
      }
      // Independent strict parser.
      expect(() => new X12Parser(true).parse(file.content)).not.toThrow();
    });
  }
});

describe('generated CUSRES re-parses cleanly', () => {
  for (const c of byChannel('truck-cusres')) {
    it(c.name, () => {
      const file = run(c);
      expect(file.ok).toBe(true);
      const read = readEdifact(encode(file.content, file.charset));
      expect(read.fileIssues).toEqual([]);
      const ic = read.interchanges[0];
      if (ic === undefined) throw new Error('no interchange');
      expect(ic.ack.result.ok).toBe(true);
      expect(ic.ack.result.issues.filter((i) => i.severity === 'error')).toEqual([]);
      expect(ic.ack.messages.map((m) => m.header.reference)).toEqual(file.controlNumbers.messages);
      expect(
        ic.ack.messages.every((m) => m.header.type === 'CUSRES' && m.header.version === 'D:03B:UN'),
      ).toBe(true);
      const segs = ic.segments.flatMap((m) => m.segments);
      // The bills read back exactly (release characters undone), with their status codes and texts.
      expect(segs.filter((s) => s.tag === 'RFF').map((s) => edi(s, 1, 2))).toEqual(
        file.twin.map((d) => d.scn),
      );
      expect(segs.filter((s) => s.tag === 'ERC').map((s) => edi(s, 1))).toEqual(file.sent.map((l) => l.code));
      expect(
        segs
          .filter((s) => s.tag === 'DTM')
          .every((s) => edi(s, 1) === '163' && edi(s, 1, 2) === '202503101430'),
      ).toBe(true);
      expect(segs.filter((s) => s.tag === 'RFF').every((s) => edi(s, 1) === 'AAM')).toBe(true);
      expect(segs.filter((s) => s.tag === 'BGM').every((s) => edi(s, 1) === '34')).toBe(true);
    });
  }
});

describe('CAMIR FSN / FER layout', () => {
  for (const c of byChannel('air-camir-fsn', 'air-camir-fer')) {
    it(`${c.channel}/${c.name}`, () => {
      const file = run(c);
      const messages = file.content.split('\n\n').map((m) => m.split('\n').filter((l) => l !== ''));
      expect(messages).toHaveLength(file.twin.length);
      messages.forEach((lines, i) => {
        const d = file.twin[i];
        if (d === undefined) throw new Error('twin');
        const [serial, house] = d.scn.split('/');
        expect(lines).toContain(`${d.issuer}-${serial}${house === undefined ? '' : `-${house}`}`);
        if (c.channel === 'air-camir-fsn') {
          expect(lines[0]).toBe('FSN');
          expect(lines[1]).toMatch(/^[A-Z]{3}[A-Z0-9]{2,3}$/);
          // ARR carries the decision's flight and day when the flight is known.
          if (d.flight === undefined) expect(lines).toHaveLength(4);
          else expect(lines[3]).toMatch(new RegExp(`^ARR/${d.flight}/\\d{2}[A-Z]{3}$`));
          expect(lines.at(-1)).toMatch(
            new RegExp(`^CSN/${file.sent[i]?.code}-\\d{1,4}/\\d{2}[A-Z]{3}\\d{4}/86SEC 321$`),
          );
        } else {
          expect(lines[0]).toBe('FER');
          // Code then text, no slash between them (ERR/040BILL DATA ON FILE… in real FERs).
          expect(lines.at(-1)).toBe('ERR/098VALUE MAY EXCEED CONSIGNEE DAILY MAX ET86');
        }
      });
    });
  }

  it('replaces Cargo-IMP separators in text and records it', () => {
    const c = byChannel('air-camir-fer')[0];
    if (c === undefined) throw new Error('fixture');
    const d = c.batch.decisions[0];
    if (d === undefined) throw new Error('fixture');
    const file = generateOutbound(
      { ...c.batch, decisions: [{ ...d, text: 'value/may-exceed\nmax' }] },
      c.partner,
    );
    expect(file.content).toContain('ERR/098VALUE MAY EXCEED MAX\n');
    expect(file.issues.map((i) => i.code as string)).toEqual([
      'GENERATE_DELIMITER_REPLACED',
      'GENERATE_CHARACTER_REPLACED',
    ]);
  });
});

describe('ABI records', () => {
  it('the layout table has no overlapping or out-of-record fields', () => {
    expect(checkAbiLayouts(ABI_LAYOUTS)).toEqual([]);
    const broken = {
      ...ABI_LAYOUTS,
      records: {
        X: [
          { name: 'a', start: 1, length: 5, kind: 'AN' as const },
          { name: 'b', start: 4, length: 80, kind: 'AN' as const },
        ],
      },
    };
    expect(checkAbiLayouts(broken)).toEqual([
      'X.b ends after column 80',
      'X.b overlaps a at column 4',
      'X.b overlaps a at column 5',
    ]);
  });

  for (const c of byChannel('broker-abi-sx', 'broker-abi-so')) {
    it(`${c.channel}/${c.name}: 80 columns, A, B…Y blocks per port, Z, counts`, () => {
      const file = run(c);
      const lines = file.content.split('\n').slice(0, -1);
      expect(lines.every((l) => l.length === 80)).toBe(true);
      expect(lines[0]?.[0]).toBe('A');
      expect(lines.at(-1)?.[0]).toBe('Z');
      const app = c.channel === 'broker-abi-sx' ? 'SX' : 'SO';
      expect(lines[0]?.slice(25, 27)).toBe(app);
      // Blocks: B (port 4-7, filer 8-10, application 11-12) … Y (same, count 13-17).
      const body: string[] = [];
      let i = 1;
      while (i < lines.length - 1) {
        const b = lines[i] ?? '';
        expect(b[0]).toBe('B');
        expect(b.slice(7, 12)).toBe(`${c.batch.recipient}${app}`);
        let j = i + 1;
        while (!(lines[j] ?? 'Y').startsWith('Y')) j += 1;
        const y = lines[j] ?? '';
        expect(y.slice(3, 12)).toBe(b.slice(3, 12));
        expect(y.slice(12, 17)).toBe(String(j - i - 1).padStart(5, '0'));
        body.push(...lines.slice(i + 1, j));
        i = j + 1;
      }
      // No SX10 / SX90 records: the SX batch echoes SE10 and adds SE90 condition lines.
      const perEntry = c.channel === 'broker-abi-sx' ? ['SE10', 'SE90'] : ['SO10', 'SO40', 'SO50'];
      expect(body.map((l) => l.slice(0, 4))).toEqual(file.twin.flatMap(() => perEntry));
      const codeAt = c.channel === 'broker-abi-sx' ? [6, 9] : [14, 16];
      const dispositions = body
        .filter((l) => l.startsWith(perEntry.at(-1) ?? ''))
        .map((l) => l.slice(codeAt[0], codeAt[1]));
      expect(dispositions).toEqual(file.sent.map((s) => s.code));
    });
  }
});

describe('report channel', () => {
  it('writes one schema-valid decision per line, in seq order', () => {
    const c = byChannel('report')[0];
    if (c === undefined) throw new Error('fixture');
    const file = run(c);
    const rows = file.content
      .trimEnd()
      .split('\n')
      .map((l) => DecisionSchema.parse(JSON.parse(l)));
    expect(rows.map((r) => r.seq)).toEqual([...rows.map((r) => r.seq)].sort((a, b) => a - b));
    expect(rows).toEqual(file.twin);
  });
});

describe('every generator', () => {
  for (const c of cases) {
    it(`${c.channel}/${c.name}: output does not depend on the order decisions are passed in`, () => {
      const reversed = generateOutbound(
        { ...c.batch, decisions: [...c.batch.decisions].reverse() },
        c.partner,
      );
      const forward = run(c);
      expect(reversed.content).toBe(forward.content);
      expect(reversed.sent).toEqual(forward.sent);
    });
  }

  for (const channel of ChannelSchema.options) {
    const c = byChannel(channel)[0];
    if (c === undefined) continue;
    it(`${channel}: an empty batch produces no file`, () => {
      const file = generateOutbound({ ...c.batch, decisions: [] }, c.partner);
      expect(file.ok).toBe(false);
      expect(file.content).toBe('');
      expect(file.twin).toEqual([]);
      expect(file.issues.map((i) => i.code as string)).toEqual(['GENERATE_EMPTY_BATCH']);
      expect(file.controlNumbers.nextMessage).toBe(c.batch.control.firstMessage);
    });
    if (channel !== 'report') {
      it(`${channel}: an invalid creation time produces no file`, () => {
        const file = generateOutbound(
          { ...c.batch, created: { date: '2025-13-01', time: '25:00' } },
          c.partner,
        );
        expect(file.ok).toBe(false);
        expect(file.content).toBe('');
      });
    }
  }

  it('refuses interchange control numbers wider than the standard allows', () => {
    for (const c of byChannel('truck-x12-350', 'truck-cusres')) {
      const wide = c.channel === 'truck-cusres' ? 1e15 : 1e9;
      const file = generateOutbound(
        { ...c.batch, control: { ...c.batch.control, interchange: wide } },
        c.partner,
      );
      expect(file.ok, c.name).toBe(false);
      expect(file.issues.map((i) => i.code as string)).toContain('GENERATE_INVALID_CONTROL_NUMBER');
    }
  });

  it('refuses an ST02 that would pass 9 digits', () => {
    const c = byChannel('truck-x12-350').find((x) => x.name === 'release2-two-ports');
    if (c === undefined) throw new Error('fixture');
    const file = generateOutbound(
      { ...c.batch, control: { ...c.batch.control, firstMessage: 999_999_999 } },
      c.partner,
    );
    expect(file.ok).toBe(false);
    expect(
      file.issues.find((i) => (i.code as string) === 'GENERATE_INVALID_CONTROL_NUMBER')?.messageRef,
    ).toBe('1000000000');
  });

  it('reports the next free message number', () => {
    const c = byChannel('truck-x12-350').find((x) => x.name === 'release2-two-ports');
    if (c === undefined) throw new Error('fixture');
    const file = run(c);
    expect(file.controlNumbers).toEqual({
      interchange: 1201,
      group: 501,
      messages: ['0001', '0002'],
      nextMessage: 3,
    });
  });
});

describe('file names', () => {
  it('are deterministic and use safe characters only, without collisions', () => {
    expect(outboundFileName('truck-x12-350', 'ABCD', 12)).toBe('truck-x12-350_ABCD_000000012.x12');
    expect(safeNamePart('A/B_C')).toBe('A_2FB_5FC');
    expect(safeNamePart('A_2FB')).not.toBe(safeNamePart('A/B'));
    for (const name of [
      outboundFileName('broker-abi-so', '../../etc', 1),
      outboundFileName('report', 'é ü', 1),
    ]) {
      expect(name).toMatch(/^[A-Za-z0-9._-]+$/);
      expect(name).not.toContain('..');
    }
  });
});

describe('partner profiles', () => {
  it('deep-merges overrides over the versioned defaults', () => {
    const r = resolvePartnerProfile({ id: 'p', x12: { delimiters: { element: '|' } } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.profile.x12.delimiters).toEqual({ ...DEFAULT_PARTNER_PROFILE.x12.delimiters, element: '|' });
    expect(r.profile.x12.status350).toEqual(DEFAULT_PARTNER_PROFILE.x12.status350);
  });

  it('reports an invalid override with its path', () => {
    const r = resolvePartnerProfile({ usage: 'X', edifact: { syntaxId: 'ASCII' } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.code as string, i.message.split(':')[0]])).toEqual([
      ['GENERATE_INVALID_PROFILE', 'usage'],
      ['GENERATE_INVALID_PROFILE', 'edifact.syntaxId'],
    ]);
  });
});
