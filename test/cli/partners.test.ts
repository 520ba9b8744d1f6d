/**
 * `s321 replay --partners FILE` is validated strictly before anything runs, as the service config
 * is: unknown keys at any depth (with their path), airport codes, delimiters that clash. Refused:
 * exit 2, one message naming the file and the key, no database or output created.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli-process.js';

const TRUCK = 'fixtures/x12/309/truck-s321/input.edi';

function replayWithPartners(partners: unknown) {
  const dir = mkdtempSync(join(tmpdir(), 's321-partners-cli-'));
  const file = join(dir, 'partners.json');
  writeFileSync(file, typeof partners === 'string' ? partners : JSON.stringify(partners));
  const r = runCli([
    'replay',
    TRUCK,
    '--db',
    join(dir, 's.db'),
    '--out',
    join(dir, 'out'),
    '--now',
    '2025-06-10T18:00',
    '--partners',
    file,
  ]);
  return { ...r, file, created: existsSync(join(dir, 's.db')) || existsSync(join(dir, 'out')) };
}

describe('--partners is validated strictly', () => {
  const refused: Array<[string, unknown, string]> = [
    ['a misspelled top-level key', { recipents: { ACME: {} } }, ': Unrecognized key: "recipents"'],
    [
      'a misspelled key in a recipient',
      { recipients: { ACME: { sendrId: 'X' } } },
      ' recipients.ACME: Unrecognized key: "sendrId"',
    ],
    [
      'a misspelled nested key',
      { all: { camir: { airportByPrt: { '4701': 'JFK' } } } },
      ' all: camir: Unrecognized key: "airportByPrt"',
    ],
    [
      'an airport that is not IATA',
      { all: { camir: { airportByPort: { '4701': 'JFKX1' } } } },
      ' all: camir.airportByPort.4701: "JFKX1" is not an IATA airport code (3 letters A-Z)',
    ],
    [
      'a lower-case default airport',
      { recipients: { ACME: { camir: { defaultAirport: 'jfk' } } } },
      ' recipients.ACME: camir.defaultAirport: "jfk" is not an IATA airport code (3 letters A-Z)',
    ],
    [
      'an element delimiter equal to the segment terminator',
      { recipients: { ACME: { x12: { delimiters: { element: '~' } } } } },
      ' recipients.ACME: x12.delimiters.segment: "~" is also the element delimiter; each delimiter must differ',
    ],
    [
      'an EDIFACT release character equal to the component separator',
      { all: { edifact: { delimiters: { release: ':' } } } },
      ' all: edifact.delimiters.release: ":" is also the component delimiter; each delimiter must differ',
    ],
    [
      'a two-character delimiter',
      { all: { x12: { delimiters: { segment: '~\n' } } } },
      ' all: x12.delimiters.segment: must be one character',
    ],
    ['a wrong type', { all: { usage: 'X' } }, ' all: usage: Invalid option'],
    [
      'a JSON syntax error',
      '{\n  "all": {\n',
      ': the partner profiles file is not valid JSON at line 3 column 1',
    ],
  ];
  it.each(refused)('%s: exit 2, named, nothing created', (_name, partners, message) => {
    const r = replayWithPartners(partners);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`s321: ${r.file}${message}`);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.created).toBe(false);
  });

  it('a valid file with notes (keys starting with _) at any depth is accepted', () => {
    const r = replayWithPartners({
      _note: 'airports for the CAMIR FSN',
      all: { _why: 'our hub', camir: { defaultAirport: 'JFK', airportByPort: { '4701': 'JFK', _x: 'y' } } },
      recipients: { _comment: 'none yet', ACME: { usage: 'T' } },
    });
    expect(r.stderr).not.toContain('s321:');
    expect(r.status).toBe(0);
  });
});
