/**
 * The generators' check of a decision without a copy: `exactDecision(raw)` is true only for a
 * decision that `DecisionSchema` accepts and whose parse would be the same object — every schema key
 * in schema order, no other key, every value of its field's type and range, `cause` the same way.
 *
 * Why: the replay hands every pending decision (read back from the store's JSON, ~40k at 200k
 * shipments) to a generator, and zod's `safeParse` of each one built a fresh copy of the decision and
 * of its cause (~680 bytes of garbage per event on the replay's main thread, docs/main-store-cut.md).
 * A decision our own core made and the store wrote back is exactly that form, so the check here
 * reads it and allocates nothing. Anything else — a missing or mistyped field, an extra key, keys in
 * another order, an object that is not a plain object — is not "exact", and `prepareBatch` then
 * parses it with zod as before: the same GENERATE_DECISION_MISMATCH and message for a wrong decision,
 * and zod's copy (schema order, unknown keys stripped) for a valid one in another form.
 *
 * Every check here is at least as strict as the schema's (test/generate/exact-decision.test.ts holds
 * each field's check against its zod schema); a stricter one only sends a decision the slower way.
 */
import {
  ChannelSchema,
  type Decision,
  DecisionSchema,
  FLIGHT_DESIGNATOR,
  RulesProfileSchema,
} from '../model/decision.js';
import { ModeSchema, type SourcePosition, SourcePositionSchema } from '../model/shipment-event.js';

type Check = (v: unknown) => boolean;

const text: Check = (v) => typeof v === 'string';
const count: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
const flag: Check = (v) => typeof v === 'boolean';
function oneOf(values: readonly string[]): Check {
  const allowed = new Set(values);
  return (v) => typeof v === 'string' && allowed.has(v);
}

/** One check per field (the mapped types make a field added to a schema fail to compile here). */
const CAUSE_CHECKS: { readonly [K in keyof SourcePosition]-?: Check } = {
  file: text,
  standard: oneOf(SourcePositionSchema.shape.standard.options),
  sender: text,
  interchangeControl: text,
  groupControl: text,
  messageRef: text,
  messageType: text,
  segmentIndex: count,
  byteOffset: count,
  usage: oneOf(SourcePositionSchema.shape.usage.unwrap().options),
};

const DECISION_CHECKS: { readonly [K in keyof Decision]-?: Check } = {
  decisionId: text,
  seq: count,
  bill: text,
  issuer: text,
  scn: text,
  carrierScac: text,
  mode: oneOf(ModeSchema.options),
  channel: oneOf(ChannelSchema.options),
  code: text,
  text,
  recipient: text,
  role: oneOf(DecisionSchema.shape.role.options),
  withhold: flag,
  consigneeKey: text,
  day: text,
  totalCents: count,
  profile: oneOf(RulesProfileSchema.options),
  entryNumber: text,
  pieces: count,
  port: text,
  flight: (v) => typeof v === 'string' && FLIGHT_DESIGNATOR.test(v),
  causeEventId: text,
  cause: (v) => exactObject(v, CAUSE_FIELDS),
};

interface Field {
  key: string;
  /** The schema accepts the key absent (an optional field): it may be skipped in the order. */
  optional: boolean;
  check: Check;
}

/** The schema's own keys, in its order; optional = what its field schema accepts undefined for. */
function fieldsOf(
  shape: Record<string, { safeParse(v: unknown): { success: boolean } }>,
  checks: Record<string, Check>,
): Field[] {
  return Object.keys(shape).map((key) => {
    const check = checks[key];
    if (check === undefined) throw new Error(`exact-decision: no check for schema field ${key}`);
    return { key, optional: shape[key]?.safeParse(undefined).success === true, check };
  });
}

const CAUSE_FIELDS = fieldsOf(SourcePositionSchema.shape, CAUSE_CHECKS);
const DECISION_FIELDS = fieldsOf(DecisionSchema.shape, DECISION_CHECKS);

/**
 * The own enumerable keys of a plain object, read in order against the fields: each is the next
 * field (optional fields absent in between are skipped) and passes its check; no key left over, no
 * required field missing. A present optional key holding undefined fails its check (not exact).
 */
function exactObject(v: unknown, fields: readonly Field[]): boolean {
  if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype) return false;
  const o = v as Record<string, unknown>;
  let i = 0;
  for (const key in o) {
    let f = fields[i];
    while (f !== undefined && f.key !== key && f.optional) f = fields[++i];
    if (f === undefined || f.key !== key || !f.check(o[key])) return false;
    i++;
  }
  for (; i < fields.length; i++) if (!(fields[i] as Field).optional) return false;
  return true;
}

/** True when `raw` is a decision DecisionSchema accepts and would parse into an equal object, keys in the same order. */
export function exactDecision(raw: unknown): raw is Decision {
  return exactObject(raw, DECISION_FIELDS);
}
