/**
 * The shipped defaults of the decision configuration: the rule calendar and the never-eligible
 * commodity list are versioned data files under schemas/profiles/, imported as modules (no I/O here).
 */

import { z } from 'zod';
import commoditiesJson from '../../../schemas/profiles/ineligible-commodities.json' with { type: 'json' };
import calendarJson from '../../../schemas/profiles/rules-calendar.json' with { type: 'json' };
import type { AggregationConfig, IneligibleCommodity } from '../aggregate/aggregator.js';
import { DEFAULT_HOLD_CODES, type HoldCodes } from '../aggregate/notification-plan.js';
import type { RulesProfile } from '../model/decision.js';
import { createRuleSelector, parseRuleCalendar, type RuleCalendar } from './calendar.js';

const CommodityListSchema = z.object({
  version: z.string(),
  commodities: z.array(z.object({ htsPrefix: z.string().regex(/^\d{2,10}$/), reason: z.string() })),
});

export const DEFAULT_RULE_CALENDAR: RuleCalendar = parseRuleCalendar(calendarJson);
export const DEFAULT_INELIGIBLE_COMMODITIES: IneligibleCommodity[] =
  CommodityListSchema.parse(commoditiesJson).commodities;

export interface AggregationOverrides {
  calendar?: RuleCalendar;
  rulesOverride?: RulesProfile;
  hold?: Partial<HoldCodes>;
  ineligibleCommodities?: IneligibleCommodity[];
}

export function aggregationConfig(overrides: AggregationOverrides = {}): AggregationConfig {
  return {
    rules: createRuleSelector(overrides.calendar ?? DEFAULT_RULE_CALENDAR, overrides.rulesOverride),
    hold: { ...DEFAULT_HOLD_CODES, ...overrides.hold },
    ineligibleCommodities: overrides.ineligibleCommodities ?? DEFAULT_INELIGIBLE_COMMODITIES,
  };
}
