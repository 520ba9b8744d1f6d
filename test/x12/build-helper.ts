/** Test helper: build small X12 interchanges as text with chosen delimiters and layout. */

export interface Delims {
  element: string;
  component: string;
  terminator: string;
  /** ISA11 */
  isa11: string;
  /** ISA12 */
  version: string;
  /** Written after every terminator (e.g. '\n', '\r\n'). */
  after: string;
}

export const DEFAULT_DELIMS: Delims = {
  element: '*',
  component: '>',
  terminator: '~',
  isa11: '^',
  version: '00501',
  after: '\n',
};

export interface MessageSpec {
  type?: string;
  ref: string;
  /** Body segments as arrays [tag, XX01, XX02, ...]. */
  body: string[][];
  /** Override SE01 / SE02. */
  se01?: string;
  se02?: string;
  /** Leave out the SE. */
  noSe?: boolean;
}

export interface GroupSpec {
  control: string;
  functionalId?: string;
  version?: string;
  messages: MessageSpec[];
  ge01?: string;
  ge02?: string;
  noGe?: boolean;
}

export interface InterchangeSpec {
  control?: string;
  groups?: GroupSpec[];
  /** Segments between ISA and the first GS (ISB, ISE, TA1). */
  before?: string[][];
  iea01?: string;
  iea02?: string;
  noIea?: boolean;
}

export function isaText(d: Delims, control = '000000001'): string {
  const fields = [
    '00',
    ' '.repeat(10),
    '00',
    ' '.repeat(10),
    'ZZ',
    'SENDER'.padEnd(15),
    'ZZ',
    'RECEIVER'.padEnd(15),
    '240115',
    '1200',
    d.isa11,
    d.version,
    control,
    '0',
    'P',
    d.component,
  ];
  return `ISA${d.element}${fields.join(d.element)}`;
}

export function buildInterchange(spec: InterchangeSpec, delims: Partial<Delims> = {}): string {
  const d: Delims = { ...DEFAULT_DELIMS, ...delims };
  const control = spec.control ?? '000000001';
  const out: string[] = [];
  const seg = (parts: string[]): void => {
    out.push(parts.join(d.element) + d.terminator + d.after);
  };
  out.push(isaText(d, control) + d.terminator + d.after);
  for (const s of spec.before ?? []) seg(s);
  const groups = spec.groups ?? [];
  for (const g of groups) {
    seg([
      'GS',
      g.functionalId ?? 'AQ',
      'APPSEND',
      'APPRECV',
      '20240115',
      '1200',
      g.control,
      'X',
      g.version ?? '004060',
    ]);
    for (const m of g.messages) {
      seg(['ST', m.type ?? '309', m.ref]);
      for (const b of m.body) seg(b);
      if (!m.noSe) seg(['SE', m.se01 ?? String(m.body.length + 2), m.se02 ?? m.ref]);
    }
    if (!g.noGe) seg(['GE', g.ge01 ?? String(g.messages.length), g.ge02 ?? g.control]);
  }
  if (!spec.noIea) seg(['IEA', spec.iea01 ?? String(groups.length), spec.iea02 ?? control]);
  return out.join('');
}

/** One interchange, one group, `n` messages of two body segments each. */
export function simple(n = 1, delims: Partial<Delims> = {}, control = '000000001'): string {
  const messages: MessageSpec[] = [];
  for (let i = 1; i <= n; i++) {
    messages.push({
      ref: String(i).padStart(4, '0'),
      body: [
        ['M10', 'ABCD', 'J', 'US', `TRIP${i}`],
        ['N1', 'CN', `NAME ${i}`],
      ],
    });
  }
  return buildInterchange({ control, groups: [{ control: '1', messages }] }, delims);
}
