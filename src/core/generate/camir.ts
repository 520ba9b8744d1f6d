/**
 * Cargo-IMP style lines of CBP's Air AMS (CAMIR) messages shared by FSN and FER. Line layouts, as
 * published FSN / FER samples and line parsers show them (ace-sources.md):
 *   SMI  'FSN' / 'FER'
 *   CCL  airport of arrival (3) + carrier code (2–3), no separator          e.g. 'MIAKLM'
 *   AWB  prefix(3)-serial(8)[-house]                                         e.g. '081-11223344-HAWB123'
 *   ARR  ARR/<flight>/<DDMMM>                                                e.g. 'ARR/KL0643/15MAR'
 *   CSN  CSN/<action code>-<pieces>/<DDMMMHHMM>[/<entry type+entry no>][/<remarks>]
 *   ERR  ERR/<error code(3)><text>  (code then text, no slash between them)
 * '/' and '-' are separators and lines end with a line break, so none of them can appear in data:
 * such characters are replaced and recorded (Cargo-IMP has no escape).
 */
import type { Decision } from '../model/decision.js';
import type { Issue, IssuePosition } from '../model/issue.js';
import { generateIssue } from './issues.js';
import type { PartnerProfile } from './profile.js';
import { airportOfPort } from './schedule-d.js';
import { asciiRepertoire, describeReplacements, makeSafe, splitReplacements } from './text-safety.js';

const RESERVED = new Set(['/', '-']);
const UPPER_ASCII = asciiRepertoire(true);

/** Free text for a CAMIR line: upper case ASCII, separators and control characters replaced. */
export function camirText(value: string, replacement: string, issues: Issue[], pos: IssuePosition): string {
  const safe = makeSafe(value, { reserved: RESERVED, replacement, repertoire: UPPER_ASCII });
  const { reserved, converted } = splitReplacements(safe.replacements);
  if (reserved.length > 0) {
    issues.push(
      generateIssue(
        'GENERATE_DELIMITER_REPLACED',
        `CAMIR has no escape; replaced ${describeReplacements(reserved)}`,
        pos,
      ),
    );
  }
  if (converted.length > 0) {
    issues.push(
      generateIssue(
        'GENERATE_CHARACTER_REPLACED',
        `CAMIR is upper-case ASCII; converted ${describeReplacements(converted)}`,
        pos,
      ),
    );
  }
  return safe.value;
}

export interface AwbParts {
  prefix: string;
  serial: string;
  house: string | null;
}

/** Air waybill of a decision: issuer = 3-digit airline prefix, scn = 8-digit serial [+ '/' + house]. */
export function awbOf(d: Decision): AwbParts | string {
  const slash = d.scn.indexOf('/');
  const serial = slash < 0 ? d.scn : d.scn.slice(0, slash);
  const house = slash < 0 ? null : d.scn.slice(slash + 1);
  if (!/^\d{3}$/.test(d.issuer)) return `airline prefix ${JSON.stringify(d.issuer)} is not 3 digits`;
  if (!/^\d{8}$/.test(serial)) return `master serial ${JSON.stringify(serial)} is not 8 digits`;
  if (house !== null && !/^[A-Z0-9]{1,12}$/.test(house))
    return `house bill ${JSON.stringify(house)} is not 1–12 upper-case alphanumerics`;
  return { prefix: d.issuer, serial, house };
}

export function awbLine(awb: AwbParts): string {
  return `${awb.prefix}-${awb.serial}${awb.house === null ? '' : `-${awb.house}`}`;
}

/** Cargo control location: airport of arrival + carrier code; a string is the reason it cannot be built. */
export function cclLine(
  d: Decision,
  partner: PartnerProfile,
  issues: Issue[],
  pos: IssuePosition,
): string | { error: string } {
  const port = d.port ?? '';
  // An airport code as port is used as it is; a Schedule D port goes through the partner's table,
  // then the shipped Schedule D table.
  let airport: string | null = /^[A-Z]{3}$/.test(port)
    ? port
    : (partner.camir.airportByPort[port] ?? (partner.camir.useScheduleD ? airportOfPort(port) : null));
  if (airport === null && partner.camir.defaultAirport !== null) {
    airport = partner.camir.defaultAirport;
    issues.push(
      generateIssue(
        'GENERATE_DEFAULT_USED',
        `decision ${d.decisionId}: CCL airport defaulted to ${airport}`,
        pos,
      ),
    );
  }
  if (airport === null || !/^[A-Z]{3}$/.test(airport)) {
    return {
      error: `no 3-letter airport of arrival for port ${JSON.stringify(port)} (not in the shipped Schedule D table; set camir.airportByPort or defaultAirport)`,
    };
  }
  if (!/^[A-Z0-9]{2,3}$/.test(d.carrierScac))
    return { error: `carrier code ${JSON.stringify(d.carrierScac)} is not 2–3 alphanumerics` };
  return `${airport}${d.carrierScac}`;
}

/** Joins messages (arrays of lines) into one file. */
export function camirFile(messages: readonly string[][], partner: PartnerProfile): string {
  const eol = partner.camir.lineEnd;
  return messages
    .map((lines) => lines.map((l) => `${l}${eol}`).join(''))
    .join(partner.camir.messageSeparator);
}
