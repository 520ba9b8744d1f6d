/**
 * The rule era a person-day was decided under: its bills record the profile (BillRecord.profile),
 * which differs from the calendar's era for the day when a replay forced one (`--rules release2`).
 * A report judges "exceeded" by that era's threshold, not by today's calendar.
 */
import type { RulesProfile } from '../model/decision.js';
import { createRuleSelector, type RuleCalendar, type RuleEra } from '../rules/calendar.js';

export function eraDecidedUnder(
  calendar: RuleCalendar,
  day: string,
  profile: RulesProfile | undefined,
): RuleEra {
  const byDay = createRuleSelector(calendar).eraFor(day);
  if (profile === undefined || byDay.profile === profile) return byDay;
  return createRuleSelector(calendar, profile).eraFor(day);
}

/** The lowest threshold of any era: person-days at or below it are exceeded under no profile. */
export function lowestThresholdCents(calendar: RuleCalendar): number {
  return Math.min(...calendar.eras.map((e) => e.thresholdCents));
}
