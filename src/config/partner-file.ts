/**
 * The outbound partner profiles file (`s321 replay --partners FILE`), checked strictly before
 * anything runs, as the service config is:
 *  - every key must be one the profile knows, at any depth (a misspelled `recipents`, `sendrId` or
 *    `airportByPrt` would otherwise be ignored and the defaults silently used); keys starting with
 *    '_' are notes, anywhere;
 *  - each resolved profile (defaults ← "all" ← the recipient's entry) must hold IATA airport codes
 *    (3 letters) and delimiters that are single characters, all different from each other (a
 *    segment terminator equal to the element separator makes every file unreadable).
 */
import { z } from 'zod';
import { type PartnerProfile, PartnerProfileSchema } from '../core/generate/profile.js';

/** The same shape with every field optional at every depth, and no key beyond the shape's. */
function strictOverrides(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodObject) {
    const shape: Record<string, z.ZodType> = {};
    for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>))
      shape[key] = strictOverrides(field).optional();
    return z.strictObject(shape);
  }
  if (schema instanceof z.ZodOptional) return strictOverrides(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodNullable) return strictOverrides(schema.unwrap() as z.ZodType).nullable();
  if (schema instanceof z.ZodRecord)
    return z.partialRecord(schema.keyType as z.ZodString, strictOverrides(schema.valueType as z.ZodType));
  return schema;
}

const ProfileOverridesSchema = strictOverrides(PartnerProfileSchema);

export const PartnerFileSchema = z.strictObject({
  all: ProfileOverridesSchema.optional(),
  recipients: z.record(z.string(), ProfileOverridesSchema).optional(),
});

export interface PartnerFileProblem {
  /** Dotted path in the file, '' for the top level. */
  path: string;
  message: string;
}

/** Drops note keys (those starting with '_') at every depth. */
export function withoutNotes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNotes);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !key.startsWith('_'))
      .map(([key, v]) => [key, withoutNotes(v)]),
  );
}

/** Problems of the file's shape: unknown keys (with their path), wrong types. */
export function partnerFileProblems(raw: unknown): PartnerFileProblem[] {
  const parsed = PartnerFileSchema.safeParse(raw);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

const IATA_AIRPORT = /^[A-Z]{3}$/;

/** Problems of a resolved profile that its schema alone does not catch (paths inside the profile). */
export function profileRuleProblems(profile: PartnerProfile): PartnerFileProblem[] {
  const problems: PartnerFileProblem[] = [];
  for (const [port, airport] of Object.entries(profile.camir.airportByPort)) {
    if (!IATA_AIRPORT.test(airport))
      problems.push({
        path: `camir.airportByPort.${port}`,
        message: `${JSON.stringify(airport)} is not an IATA airport code (3 letters A-Z)`,
      });
  }
  if (profile.camir.defaultAirport !== null && !IATA_AIRPORT.test(profile.camir.defaultAirport))
    problems.push({
      path: 'camir.defaultAirport',
      message: `${JSON.stringify(profile.camir.defaultAirport)} is not an IATA airport code (3 letters A-Z)`,
    });
  problems.push(...delimiterProblems('x12.delimiters', profile.x12.delimiters));
  problems.push(...delimiterProblems('edifact.delimiters', profile.edifact.delimiters));
  return problems;
}

function delimiterProblems(path: string, delimiters: Record<string, string | null>): PartnerFileProblem[] {
  const problems: PartnerFileProblem[] = [];
  const seen = new Map<string, string>();
  for (const [name, value] of Object.entries(delimiters)) {
    if (value === null) continue;
    if ([...value].length !== 1) {
      problems.push({
        path: `${path}.${name}`,
        message: `must be one character, got ${JSON.stringify(value)}`,
      });
      continue;
    }
    if (/[A-Za-z0-9 ]/.test(value))
      problems.push({
        path: `${path}.${name}`,
        message: `${JSON.stringify(value)} is a letter, digit or space, which data values contain`,
      });
    const other = seen.get(value);
    if (other !== undefined)
      problems.push({
        path: `${path}.${name}`,
        message: `${JSON.stringify(value)} is also the ${other} delimiter; each delimiter must differ`,
      });
    else seen.set(value, name);
  }
  return problems;
}
