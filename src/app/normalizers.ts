/** Binds the core normalizers to their context (inbound profile with partner overrides, rate table). */
import { ConfigError } from '../config/config-error.js';
import { readJsonFile } from '../config/json-file.js';
import { type RateTable, RateTableSchema } from '../core/money/rate-table.js';
import { createEdifactNormalizer, createX12Normalizer } from '../core/normalize/index.js';
import {
  DEFAULT_INBOUND_PROFILE,
  type InboundProfile,
  parseDialectAssignment,
  withDialects,
} from '../core/profiles/index.js';
import type { NormalizerFactories } from './ingest-file.js';

export interface NormalizeSettings {
  profile?: InboundProfile;
  rates?: RateTable;
}

export function defaultNormalizers(settings: NormalizeSettings): NormalizerFactories {
  const profile = settings.profile ?? DEFAULT_INBOUND_PROFILE;
  const rates = settings.rates ?? {};
  return {
    x12: (file) => (ic, msg) => createX12Normalizer(ic, msg, { file, profile, rates }),
    edifact: (file) => (ic, msg) => createEdifactNormalizer(ic, msg, { file, profile, rates }),
  };
}

/** Reads a rate table file (JSON: currency → [{ from, usdPerUnit }]; keys starting with '_' are notes). */
export async function loadRateTable(path: string): Promise<RateTable> {
  const raw = await readJsonFile(path, 'the currency rate table');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ConfigError(path, [
      { path: '', message: 'the currency rate table must be a JSON object of currency → rates' },
    ]);
  const entries = Object.fromEntries(Object.entries(raw).filter(([k]) => !k.startsWith('_')));
  const parsed = RateTableSchema.safeParse(entries);
  if (!parsed.success) {
    throw new ConfigError(
      path,
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  return parsed.data;
}

/**
 * The default inbound profile with partner dialects assigned (`SENDER=NAME`, the CLI's --dialect),
 * e.g. `QUICKAIR=s321-companion`. Throws with every problem named when one is malformed or unknown.
 */
export function inboundProfileWithDialects(assignments: readonly string[]): InboundProfile {
  const parsed = assignments.map((text) => ({ text, assignment: parseDialectAssignment(text) }));
  const bad = parsed.filter((p) => p.assignment === undefined).map((p) => p.text);
  if (bad.length > 0) throw new Error(`--dialect expects SENDER=NAME, got: ${bad.join(', ')}`);
  const result = withDialects(
    DEFAULT_INBOUND_PROFILE,
    parsed.flatMap((p) => (p.assignment === undefined ? [] : [p.assignment])),
  );
  if (!result.ok) throw new Error(`--dialect: ${result.errors.join('; ')}`);
  return result.profile;
}
