/**
 * Outbound partner profiles from a JSON file (`s321 replay --partners FILE`):
 *   { "all": { …overrides for every recipient… }, "recipients": { "<recipient>": { …overrides… } } }
 * Each recipient's profile is the shipped defaults (schemas/profiles/outbound-defaults.json) deep-
 * merged with "all", then with its own entry. The file is validated strictly when it is loaded
 * (src/config/partner-file.ts: unknown keys, airport codes, delimiter clashes), so a bad file stops
 * the run before anything is processed. Keys starting with '_' are notes.
 */

import { ConfigError } from '../config/config-error.js';
import { readJsonFile } from '../config/json-file.js';
import {
  type PartnerFileProblem,
  partnerFileProblems,
  profileRuleProblems,
  withoutNotes,
} from '../config/partner-file.js';
import type { ErrorCode } from '../core/errors/registry.js';
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
  readonly code = 'CONFIG_INVALID' satisfies ErrorCode;
}

const described = (problems: readonly PartnerFileProblem[]): string =>
  problems.map((p) => (p.path === '' ? p.message : `${p.path}: ${p.message}`)).join('; ');

/** `FILE all: camir.x: message`, `FILE recipients.ACME: message`, `FILE: message` (top level). */
function inFile(file: string, problem: PartnerFileProblem): string {
  const m = /^(all|recipients\.[^.]+)(?:\.(.+))?$/.exec(problem.path);
  if (m === null) return `${file}: ${problem.path === '' ? '' : `${problem.path}: `}${problem.message}`;
  return `${file} ${m[1]}: ${m[2] !== undefined ? `${m[2]}: ` : ''}${problem.message}`;
}

function resolve(path: string, where: string, overrides: unknown, base: PartnerProfile): PartnerProfile {
  const result = resolvePartnerProfile(overrides ?? {}, base);
  if (!result.ok)
    throw new PartnerProfileError(`${path} ${where}: ${result.issues.map((i) => i.message).join('; ')}`);
  const problems = profileRuleProblems(result.profile);
  if (problems.length > 0) throw new PartnerProfileError(`${path} ${where}: ${described(problems)}`);
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
    raw = withoutNotes(await readJsonFile(path, 'the partner profiles file'));
  } catch (e) {
    if (e instanceof ConfigError) throw new PartnerProfileError(`${path}: ${described(e.problems)}`);
    throw e;
  }
  const problems = partnerFileProblems(raw);
  if (problems.length > 0) throw new PartnerProfileError(problems.map((p) => inFile(path, p)).join('; '));
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
