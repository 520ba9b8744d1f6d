/**
 * Effective-dated rule calendar (rules.md §5). The calendar is data (schemas/profiles/rules-calendar.json
 * holds the default, validated here); the era in force is chosen by the shipment's day, or forced by an
 * override for certification replay (`--rules release2`).
 */
import { z } from 'zod';
import { type RulesProfile, RulesProfileSchema } from '../model/decision.js';

export const RuleEraSchema = z.object({
  /** First calendar day (inclusive) the era applies to. */
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  profile: RulesProfileSchema,
  /** Strictly greater than this many cents exceeds. */
  thresholdCents: z.number().int().positive(),
  /** Whether ACE aggregates per person-day and notifies (release2 onward). */
  aggregation: z.boolean(),
  /** Which date names the person-day: the EDA as sent, or the actual arrival in US Eastern time. */
  dayBasis: z.enum(['eda', 'arrival']),
  /** Release 3: the crossing shipment and every later one of the person-day are withheld. */
  withhold: z.boolean(),
  /** Countries of origin (ISO alpha-2) whose goods are not eligible. */
  excludedOrigins: z.array(z.string().length(2)),
  /** De minimis suspended (or repealed): every Section 321 / ET86 shipment is ineligible. */
  suspended: z.boolean(),
  /**
   * What a shipment of a suspended era is reported with: the report code and its text, which says
   * what ACE does with such a claim (from the era's source). Default: INELIGIBLE-SUSPENDED.
   */
  ineligible: z.object({ code: z.string().regex(/^INELIGIBLE-[A-Z]+$/), text: z.string().min(1) }).optional(),
  /** Where the era comes from (CSMS number, statute) and anything its day granularity leaves out. */
  note: z.string(),
});
export type RuleEra = z.infer<typeof RuleEraSchema>;

export const RuleCalendarSchema = z.object({
  version: z.string(),
  eras: z.array(RuleEraSchema).min(1),
});
export type RuleCalendar = z.infer<typeof RuleCalendarSchema>;

/** Parses and checks a calendar: eras sorted by `from`, no two starting the same day. */
export function parseRuleCalendar(input: unknown): RuleCalendar {
  const calendar = RuleCalendarSchema.parse(input);
  for (let i = 1; i < calendar.eras.length; i++) {
    const prev = calendar.eras[i - 1];
    const cur = calendar.eras[i];
    if (prev !== undefined && cur !== undefined && !(prev.from < cur.from)) {
      throw new Error(`rule calendar ${calendar.version}: era ${cur.from} is not after ${prev.from}`);
    }
  }
  return calendar;
}

export interface RuleSelector {
  /** The era for a calendar day (YYYY-MM-DD). */
  eraFor(day: string): RuleEra;
}

/**
 * Builds the selector. With an override profile, the latest era of that profile applies to every day
 * (certification replay of, say, release2 behaviour on today's traffic).
 */
export function createRuleSelector(calendar: RuleCalendar, override?: RulesProfile): RuleSelector {
  const eras = calendar.eras;
  if (override !== undefined) {
    const forced = [...eras].reverse().find((era) => era.profile === override);
    if (forced === undefined)
      throw new Error(`rule calendar ${calendar.version} has no era with profile ${override}`);
    return { eraFor: () => forced };
  }
  const first = eras[0] as RuleEra;
  return {
    eraFor(day: string): RuleEra {
      // Few eras: a backwards scan beats a binary search here and stays obviously right.
      for (let i = eras.length - 1; i >= 0; i--) {
        const era = eras[i] as RuleEra;
        if (era.from <= day) return era;
      }
      return first;
    },
  };
}
