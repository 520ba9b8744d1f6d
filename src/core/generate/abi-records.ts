/**
 * ABI (CATAIR) fixed 80-column records. Column positions live in the versioned table
 * schemas/profiles/outbound-abi-layouts.json; this module only renders a record from a layout and
 * named values. AN fields are left-justified and space-filled, N fields right-justified and
 * zero-filled. A value that does not fit is an error unless the field is free text ('truncate').
 */

import { z } from 'zod';
import layoutsJson from '../../../schemas/profiles/outbound-abi-layouts.json' with { type: 'json' };
import type { Issue, IssuePosition } from '../model/issue.js';
import { generateIssue } from './issues.js';
import {
  asciiRepertoire,
  charLength,
  cutChars,
  describeReplacements,
  makeSafe,
  splitReplacements,
} from './text-safety.js';

const FieldSchema = z.object({
  name: z.string(),
  start: z.number().int().min(1),
  length: z.number().int().min(1),
  kind: z.enum(['AN', 'N']),
  value: z.string().optional(),
  truncate: z.boolean().optional(),
  /** N field left blank (spaces) when no value is given. */
  optional: z.boolean().optional(),
  /** AN identifier (filer code, port, bill, issuer): never altered; one that would be is refused. */
  identifier: z.boolean().optional(),
});
export type AbiField = z.infer<typeof FieldSchema>;

const LayoutsSchema = z.object({
  version: z.string(),
  note: z.string(),
  /** Where each record's columns come from (docs/conformance.md (Outbound)). */
  sources: z.record(z.string(), z.string()),
  recordLength: z.number().int().positive(),
  records: z.record(z.string(), z.array(FieldSchema)),
});
export type AbiLayouts = z.infer<typeof LayoutsSchema>;

export const ABI_LAYOUTS: AbiLayouts = LayoutsSchema.parse(layoutsJson);

/** Problems of a layout table (overlapping or out-of-record fields, constants that do not fit). */
export function checkAbiLayouts(layouts: AbiLayouts): string[] {
  const problems: string[] = [];
  for (const [id, fields] of Object.entries(layouts.records)) {
    const used = new Array<string | null>(layouts.recordLength).fill(null);
    for (const f of fields) {
      if (f.start + f.length - 1 > layouts.recordLength)
        problems.push(`${id}.${f.name} ends after column ${layouts.recordLength}`);
      if (f.value !== undefined && charLength(f.value) > f.length)
        problems.push(`${id}.${f.name} constant does not fit`);
      for (let c = f.start - 1; c < Math.min(f.start - 1 + f.length, layouts.recordLength); c += 1) {
        if (used[c] !== null) problems.push(`${id}.${f.name} overlaps ${used[c]} at column ${c + 1}`);
        used[c] = f.name;
      }
    }
  }
  return problems;
}

const UPPER_ASCII = asciiRepertoire(true);

export function renderAbiRecord(
  layouts: AbiLayouts,
  recordId: string,
  values: Readonly<Record<string, string | number>>,
  replacement: string,
  issues: Issue[],
  pos: IssuePosition,
): string | null {
  const fields = layouts.records[recordId];
  if (fields === undefined) {
    issues.push(generateIssue('GENERATE_INVALID_ENVELOPE', `no ABI layout for record ${recordId}`, pos));
    return null;
  }
  const cols = new Array<string>(layouts.recordLength).fill(' ');
  let ok = true;
  for (const f of fields) {
    const at: IssuePosition = { ...pos, segmentTag: recordId };
    const given = f.value ?? values[f.name];
    let text: string;
    if (f.kind === 'N') {
      if (given === undefined || given === '') {
        if (f.optional !== true) {
          issues.push(
            generateIssue(
              'GENERATE_MISSING_VALUE',
              `${recordId} ${f.name} (columns ${f.start}-${f.start + f.length - 1}) has no value`,
              at,
            ),
          );
          ok = false;
        }
        continue;
      }
      const digits = String(given);
      if (!/^\d+$/.test(digits) || digits.length > f.length) {
        issues.push(
          generateIssue(
            'GENERATE_VALUE_TOO_LONG',
            `${recordId} ${f.name} ${JSON.stringify(digits)} is not a number of at most ${f.length} digits`,
            at,
          ),
        );
        ok = false;
        continue;
      }
      text = digits.padStart(f.length, '0');
    } else {
      // A record is one line: line breaks and controls are replaced; ABI text is upper-case ASCII.
      const safe = makeSafe(String(given ?? ''), {
        reserved: new Set(),
        replacement,
        repertoire: UPPER_ASCII,
      });
      if (f.identifier === true && safe.replacements.length > 0) {
        issues.push(
          generateIssue(
            'GENERATE_IDENTIFIER_UNREPRESENTABLE',
            `${recordId} ${f.name} ${JSON.stringify(String(given ?? ''))} cannot be written unaltered (${describeReplacements(safe.replacements)}); identifiers are never altered`,
            at,
          ),
        );
        ok = false;
        continue;
      }
      const { reserved, converted } = splitReplacements(safe.replacements);
      if (reserved.length > 0)
        issues.push(
          generateIssue(
            'GENERATE_DELIMITER_REPLACED',
            `${recordId} ${f.name}: replaced ${describeReplacements(reserved)}`,
            at,
          ),
        );
      if (converted.length > 0)
        issues.push(
          generateIssue(
            'GENERATE_CHARACTER_REPLACED',
            `${recordId} ${f.name}: converted ${describeReplacements(converted)}`,
            at,
          ),
        );
      // AN fields are left-justified: spaces a replacement left at the edges of free text go.
      text = f.identifier === true ? safe.value : safe.value.trim();
      if (charLength(text) > f.length) {
        if (f.truncate === true) {
          issues.push(
            generateIssue(
              'GENERATE_VALUE_TRUNCATED',
              `${recordId} ${f.name} cut to ${f.length} characters`,
              at,
            ),
          );
          text = cutChars(text, f.length);
        } else {
          issues.push(
            generateIssue(
              'GENERATE_VALUE_TOO_LONG',
              `${recordId} ${f.name} ${JSON.stringify(text)} exceeds ${f.length} characters`,
              at,
            ),
          );
          ok = false;
          continue;
        }
      }
    }
    [...text].forEach((ch, i) => {
      cols[f.start - 1 + i] = ch;
    });
  }
  return ok ? cols.join('') : null;
}
