/**
 * Outbound partner profiles from a JSON file (`s321 replay --partners FILE`):
 *   { "all": { …overrides for every recipient… }, "recipients": { "<recipient>": { …overrides… } } }
 * Each recipient's profile is the shipped defaults (schemas/profiles/outbound-defaults.json) deep-
 * merged with "all", then with its own entry. Every profile is validated when the file is loaded, so
 * a bad file stops the run before anything is processed. Keys starting with '_' are notes.
 */
import { readFile } from 'node:fs/promises';
import {
  DEFAULT_PARTNER_PROFILE,
  type PartnerProfile,
  resolvePartnerProfile,
} from '../core/generate/index.js';
import type { PartnerLookup } from './emit-outbound.js';

interface PartnerFile {
  all?: unknown;
  recipients?: Record<string, unknown> | undefined;
}

export class PartnerProfileError extends Error {
  override readonly name = 'PartnerProfileError';
}

function resolve(path: string, where: string, overrides: unknown, base: PartnerProfile): PartnerProfile {
  const result = resolvePartnerProfile(overrides ?? {}, base);
  if (!result.ok)
    throw new PartnerProfileError(`${path} ${where}: ${result.issues.map((i) => i.message).join('; ')}`);
  return result.profile;
}

export function partnerLookup(file: PartnerFile, path = 'partner profiles'): PartnerLookup {
  const all = resolve(path, 'all', file.all, DEFAULT_PARTNER_PROFILE);
  const byRecipient = new Map<string, PartnerProfile>();
  for (const [recipient, overrides] of Object.entries(file.recipients ?? {})) {
    if (recipient.startsWith('_')) continue;
    byRecipient.set(
      recipient,
      resolve(
        path,
        `recipients.${recipient}`,
        { id: recipient, receiverId: recipient, ...(overrides as object) },
        all,
      ),
    );
  }
  return (recipient) => byRecipient.get(recipient) ?? { ...all, id: recipient, receiverId: recipient };
}

export async function loadPartnerProfiles(path: string): Promise<PartnerLookup> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new PartnerProfileError(`${path}: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new PartnerProfileError(`${path}: expected a JSON object`);
  const { all, recipients } = raw as Record<string, unknown>;
  if (
    recipients !== undefined &&
    (typeof recipients !== 'object' || recipients === null || Array.isArray(recipients))
  ) {
    throw new PartnerProfileError(`${path}: "recipients" must be an object of recipient → overrides`);
  }
  return partnerLookup({ all, recipients: recipients as Record<string, unknown> | undefined }, path);
}
