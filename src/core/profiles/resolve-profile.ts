/**
 * Loading and per-partner resolution of the inbound profile. Input is already-parsed JSON (the
 * adapters read files); everything is validated with zod and problems come back as data.
 */
import { z } from 'zod';
import defaultJson from '../../../schemas/profiles/inbound-default.json' with { type: 'json' };
import type { InterchangeHeaderBase } from '../model/reader.js';
import {
  type InboundProfile,
  type InboundProfileBody,
  InboundProfileBodySchema,
  InboundProfileSchema,
} from './inbound-profile.js';

export type ProfileParse = { ok: true; profile: InboundProfile } | { ok: false; errors: string[] };

/** Validates a profile and every partner override merged over it. */
export function parseInboundProfile(input: unknown): ProfileParse {
  const parsed = InboundProfileSchema.safeParse(input);
  if (!parsed.success)
    return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  const errors: string[] = [];
  for (const [sender, override] of Object.entries(parsed.data.partners)) {
    const merged = InboundProfileBodySchema.safeParse(deepMerge(bodyOf(parsed.data), override));
    if (!merged.success)
      errors.push(...merged.error.issues.map((i) => `partners.${sender}.${i.path.join('.')}: ${i.message}`));
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, profile: parsed.data };
}

/** The shipped default (schemas/profiles/inbound-default.json); a broken default is a build bug. */
export const DEFAULT_INBOUND_PROFILE: InboundProfile = (() => {
  const parsed = parseInboundProfile(defaultJson);
  if (!parsed.ok)
    throw new Error(`schemas/profiles/inbound-default.json is invalid: ${parsed.errors.join('; ')}`);
  return parsed.profile;
})();

/** A partner override file (schemas/profiles/inbound-partner-*.json): the senders it applies to and a partial profile. */
export const PartnerOverrideFileSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.string().min(1),
  description: z.string().optional(),
  senders: z.array(z.string().min(1)).min(1),
  overrides: z.record(z.string(), z.unknown()),
});
export type PartnerOverrideFile = z.infer<typeof PartnerOverrideFileSchema>;

/** Adds (or replaces) partner overrides from override files; returns the validated result. */
export function withPartnerOverrides(base: InboundProfile, files: readonly unknown[]): ProfileParse {
  const partners: Record<string, Record<string, unknown>> = { ...base.partners };
  const errors: string[] = [];
  files.forEach((input, n) => {
    const file = PartnerOverrideFileSchema.safeParse(input);
    if (!file.success) {
      errors.push(...file.error.issues.map((i) => `override file ${n}: ${i.path.join('.')}: ${i.message}`));
      return;
    }
    for (const sender of file.data.senders) partners[sender.trim()] = file.data.overrides;
  });
  if (errors.length > 0) return { ok: false, errors };
  return parseInboundProfile({ ...base, partners });
}

const resolved = new WeakMap<InboundProfile, Map<string, InboundProfileBody>>();

/**
 * The profile that applies to an interchange: the partner entry keyed 'QUALIFIER:ID' wins over the
 * one keyed 'ID' (ids trimmed), else the default table. Cached per profile object and sender.
 */
export function profileForSender(
  profile: InboundProfile,
  sender: Pick<InterchangeHeaderBase, 'senderQualifier' | 'senderId'>,
): InboundProfileBody {
  const id = sender.senderId.trim();
  const qualified = `${sender.senderQualifier.trim()}:${id}`;
  const key = Object.hasOwn(profile.partners, qualified)
    ? qualified
    : Object.hasOwn(profile.partners, id)
      ? id
      : '';
  let cache = resolved.get(profile);
  if (cache === undefined) {
    cache = new Map();
    resolved.set(profile, cache);
  }
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const override = key === '' ? undefined : profile.partners[key];
  // parseInboundProfile validated every partner merge already; parse again to get the typed value.
  const body =
    override === undefined
      ? bodyOf(profile)
      : InboundProfileBodySchema.parse(deepMerge(bodyOf(profile), override));
  cache.set(key, body);
  return body;
}

function bodyOf(profile: InboundProfile): InboundProfileBody {
  const { partners: _partners, ...body } = profile;
  return body;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Objects merge key by key (code tables gain or change single codes); arrays and scalars replace;
 * `null` removes a key (a partner that must not use a code).
 */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete out[key];
    else out[key] = deepMerge(base[key], value);
  }
  return out;
}
