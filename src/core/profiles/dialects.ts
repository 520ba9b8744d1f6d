/**
 * Partner dialects: named, shipped partial profiles a site assigns to a sender (`--dialect
 * SENDER=NAME`). A dialect is how one partner writes its messages where that differs from CBP's
 * guides — e.g. the s321 companion guide's N9*ZZ*S321 / GIS markers (schemas/profiles/dialects/).
 * It is never the default: an unassigned sender gets the default table (docs/conformance.md).
 */
import { z } from 'zod';
import companion from '../../../schemas/profiles/dialects/s321-companion.json' with { type: 'json' };
import type { InboundProfile } from './inbound-profile.js';
import { deepMerge, type ProfileParse, parseInboundProfile } from './resolve-profile.js';

export const DialectFileSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.string().min(1),
  description: z.string(),
  /** A partial inbound profile, merged over the default (or the sender's existing override). */
  overrides: z.record(z.string(), z.unknown()),
});
export type DialectFile = z.infer<typeof DialectFileSchema>;

/** The dialects shipped with s321, by name (the file name without .json). */
export const SHIPPED_DIALECTS: Readonly<Record<string, unknown>> = { 's321-companion': companion };

export interface DialectAssignment {
  /** Sender id as in the profile's `partners` keys ('ISA06'/'UNB 0004' trimmed, or 'QUALIFIER:ID'). */
  sender: string;
  dialect: string;
}

/** `SENDER=NAME` (the CLI form) → an assignment; undefined when malformed. */
export function parseDialectAssignment(text: string): DialectAssignment | undefined {
  const at = text.lastIndexOf('=');
  if (at <= 0 || at === text.length - 1) return undefined;
  return { sender: text.slice(0, at).trim(), dialect: text.slice(at + 1).trim() };
}

/** The profile with each assigned sender's dialect merged over its partner entry; validated again. */
export function withDialects(base: InboundProfile, assignments: readonly DialectAssignment[]): ProfileParse {
  const partners: Record<string, Record<string, unknown>> = { ...base.partners };
  const errors: string[] = [];
  for (const { sender, dialect } of assignments) {
    const raw = Object.hasOwn(SHIPPED_DIALECTS, dialect) ? SHIPPED_DIALECTS[dialect] : undefined;
    if (raw === undefined) {
      errors.push(
        `dialect '${dialect}' for sender '${sender}' is not shipped (known: ${Object.keys(SHIPPED_DIALECTS).join(', ')})`,
      );
      continue;
    }
    const file = DialectFileSchema.safeParse(raw);
    if (!file.success) {
      errors.push(...file.error.issues.map((i) => `dialect ${dialect}: ${i.path.join('.')}: ${i.message}`));
      continue;
    }
    partners[sender] = deepMerge(partners[sender] ?? {}, file.data.overrides) as Record<string, unknown>;
  }
  if (errors.length > 0) return { ok: false, errors };
  return parseInboundProfile({ ...base, partners });
}
