/**
 * The aggregation configuration of queue workers, and its id. Every worker of one store must decide
 * with the same configuration; the id (a hash of everything that steers decisions) is recorded by
 * the store's first commit and checked by every later one.
 */
import { createHash } from 'node:crypto';
import type { AggregationConfig, IneligibleCommodity } from '../../core/aggregate/aggregator.js';
import { DEFAULT_HOLD_CODES, type HoldCodes } from '../../core/aggregate/notification-plan.js';
import type { RulesProfile } from '../../core/model/decision.js';
import type { RuleCalendar } from '../../core/rules/calendar.js';
import {
  aggregationConfig,
  DEFAULT_INELIGIBLE_COMMODITIES,
  DEFAULT_RULE_CALENDAR,
} from '../../core/rules/defaults.js';

export interface AggregationSettings {
  calendar?: RuleCalendar;
  rulesOverride?: RulesProfile;
  hold?: Partial<HoldCodes>;
  ineligibleCommodities?: IneligibleCommodity[];
}

export interface ResolvedAggregation {
  config: AggregationConfig;
  configId: string;
}

export function resolveAggregation(settings: AggregationSettings = {}): ResolvedAggregation {
  const config = aggregationConfig({
    ...(settings.calendar !== undefined ? { calendar: settings.calendar } : {}),
    ...(settings.rulesOverride !== undefined ? { rulesOverride: settings.rulesOverride } : {}),
    ...(settings.hold !== undefined ? { hold: settings.hold } : {}),
    ...(settings.ineligibleCommodities !== undefined
      ? { ineligibleCommodities: settings.ineligibleCommodities }
      : {}),
  });
  const canonical = JSON.stringify({
    calendar: settings.calendar ?? DEFAULT_RULE_CALENDAR,
    override: settings.rulesOverride ?? null,
    hold: { ...DEFAULT_HOLD_CODES, ...settings.hold },
    commodities: settings.ineligibleCommodities ?? DEFAULT_INELIGIBLE_COMMODITIES,
  });
  const configId = `${settings.rulesOverride ?? 'calendar'}-${createHash('sha256').update(canonical).digest('hex').slice(0, 16)}`;
  return { config, configId };
}
