/**
 * Outbound partner profiles. The shipped defaults are the versioned table
 * schemas/profiles/outbound-defaults.json (imported as a module, no I/O); a partner's profile is
 * those defaults deep-merged with the partner's overrides and validated here.
 */

import { z } from 'zod';
import defaultsJson from '../../../schemas/profiles/outbound-defaults.json' with { type: 'json' };
import { ChannelSchema } from '../model/decision.js';
import type { Issue } from '../model/issue.js';
import { ModeSchema } from '../model/shipment-event.js';
import { generateIssue } from './issues.js';

const X12DelimitersSchema = z.object({
  element: z.string(),
  component: z.string(),
  repetition: z.string().nullable(),
  segment: z.string(),
});

const EdifactDelimitersSchema = z.object({
  component: z.string(),
  element: z.string(),
  decimal: z.string(),
  release: z.string().nullable(),
  repetition: z.string().nullable(),
  segment: z.string(),
});

const LineBreakSchema = z.enum(['', '\n', '\r\n']);

export const PartnerProfileSchema = z.object({
  id: z.string().min(1),
  /** Our interchange id (ISA05/06, UNB S002). */
  senderQualifier: z.string(),
  senderId: z.string().min(1),
  /** The partner's interchange id (ISA07/08, UNB S003). */
  receiverQualifier: z.string(),
  receiverId: z.string().min(1),
  /** GS02/GS03; default senderId/receiverId. */
  appSenderId: z.string().optional(),
  appReceiverId: z.string().optional(),
  /** ISA15 / UNB 0035 when the inputs do not say (P production, T test). */
  usage: z.enum(['P', 'T']),
  /**
   * When every decision of a file comes from inputs whose own usage indicator is known and they
   * agree, the file mirrors it (a test manifest never produces a production notification); else
   * `usage` applies.
   */
  mirrorInputUsage: z.boolean(),
  /**
   * Profile paths (dot-separated) whose shipped default no CBP guide, bulletin or published sample
   * confirmed. A path the partner overrides is taken as agreed with that partner and leaves the list.
   */
  unconfirmed: z.array(z.string()),
  /** Replaces characters that cannot be escaped (X12, CAMIR, ABI). */
  replacement: z.string().length(1),
  /** Port sent when a decision has none (null: such a decision is an error). */
  defaultPort: z.string().nullable(),
  /** Channel → code sent for withheld decisions instead of the decision's code. */
  holdCodes: z.partialRecord(ChannelSchema, z.string()),
  /** Decision mode → X12 M10-02 transportation method. */
  modeCodes: z.record(ModeSchema, z.string()),
  x12: z.object({
    delimiters: X12DelimitersSchema,
    isaVersion: z.string().regex(/^\d{5}$/),
    lineBreak: LineBreakSchema,
    ackRequested: z.boolean(),
    /** Truck 350 (ACE truck 350 guide, 004060USCBP350): GS01, GS08, one K1-01 remark of up to 60. */
    status350: z.object({
      functionalId: z.string(),
      version: z.string(),
      remarkMaxLength: z.number().int().positive(),
      billMaxLength: z.number().int().positive(),
    }),
    /** Ocean / rail 350: the interchange version and, per mode, GS01 / GS08 of the CBP ocean/rail guides. */
    carrier350: z.object({
      isaVersion: z.string().regex(/^\d{5}$/),
      byMode: z.object({
        ocean: z.object({ functionalId: z.string(), version: z.string() }),
        rail: z.object({ functionalId: z.string(), version: z.string() }),
      }),
    }),
    ack: z.object({
      kind: z.enum(['999', '997']),
      /** 'on-error': TA1 only for interchange envelope errors; 'always': a TA1 for every interchange. */
      ta1: z.enum(['on-error', 'always', 'never']),
      version999: z.string(),
      isaVersion999: z.string().regex(/^\d{5}$/),
      version997: z.string(),
      isaVersion997: z.string().regex(/^\d{5}$/),
    }),
  }),
  edifact: z.object({
    delimiters: EdifactDelimitersSchema,
    una: z.enum(['auto', 'always', 'never']),
    syntaxId: z.string().regex(/^UNO[A-Z]$/),
    syntaxVersion: z.enum(['1', '2', '3', '4']),
    lineBreak: LineBreakSchema,
    /** Truck CUSRES status notification, in the shape of ACE's own CUSRES (published samples). */
    cusres: z.object({
      version: z.string(),
      release: z.string(),
      agency: z.string(),
      associationCode: z.string().optional(),
      /** UNG … UNE functional group around the messages (ACE's CUSRES carry one). */
      group: z.boolean(),
      /** UNB 0026 ('' none). */
      applicationReference: z.string(),
      /** BGM C002 1001 and 1000 ('34:::ST' status notice). */
      documentCode: z.string(),
      documentName: z.string(),
      /** DTM C507 2005 / 2379 of the message and of each shipment. */
      dateQualifier: z.string(),
      dateFormat: z.string(),
      /** RFF C506 1153 of the shipment control number. */
      billQualifier: z.string(),
      /** ERP C701 1229 of the shipment level. */
      shipmentStatusLevel: z.string(),
      textQualifier: z.string(),
      textMaxLength: z.number().int().positive(),
      maxBillsPerMessage: z.number().int().positive(),
    }),
    contrl: z.object({
      version: z.string(),
      release: z.string(),
      agency: z.string(),
      versionSyntax3: z.string(),
      releaseSyntax3: z.string(),
    }),
  }),
  camir: z.object({
    lineEnd: z.enum(['\n', '\r\n']),
    /** Written between two messages of one file (after the last line's lineEnd). */
    messageSeparator: z.string(),
    /** Schedule D port → IATA airport, for decisions whose port is not an airport code (wins over the shipped table). */
    airportByPort: z.record(z.string(), z.string()),
    /** Look ports up in the shipped Schedule D table (schemas/airports/schedule-d-airports.json). */
    useScheduleD: z.boolean(),
    defaultAirport: z.string().nullable(),
    defaultPieces: z.number().int().nonnegative(),
    /** CSN entry type + entry number field: '86SEC 321' for Section 321 releases. */
    csnEntryField: z.string(),
    ferIncludesCcl: z.boolean(),
    ferText: z.string(),
    /** null: no limit (no source gives one: CBP's own 098 text has 41 characters). */
    errTextMaxLength: z.number().int().positive().nullable(),
  }),
  abi: z.object({
    lineEnd: z.enum(['\n', '\r\n']),
    entryType: z.string(),
    sxApplication: z.string(),
    soApplication: z.string(),
    /** A / Z record columns 2–5. */
    site: z.string(),
    /** SE10 column 5 of the echoed cargo release record. */
    seActionCode: z.string(),
    /** SE90 columns 5–6: 13 accepted with warning. */
    seMessageType: z.string(),
    /** SE90 / SO50 text when a decision carries none (the text is mandatory in both records). */
    sxText: z.string().min(1),
    soText: z.string().min(1),
  }),
});

export type PartnerProfile = z.infer<typeof PartnerProfileSchema>;

const DefaultsFileSchema = z.object({
  version: z.string(),
  note: z.string(),
  defaults: PartnerProfileSchema,
});
const defaultsFile = DefaultsFileSchema.parse(defaultsJson);

/** Version of the shipped defaults table (schemas/profiles/outbound-defaults.json). */
export const OUTBOUND_PROFILE_VERSION: string = defaultsFile.version;
export const DEFAULT_PARTNER_PROFILE: PartnerProfile = defaultsFile.defaults;

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge of plain objects; arrays and scalars of `over` replace those of `base`. */
function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlain(base) || !isPlain(over)) return over === undefined ? base : over;
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

export type ProfileResult =
  | { ok: true; profile: PartnerProfile; issues: [] }
  | { ok: false; issues: Issue[] };

function hasPath(value: unknown, path: string): boolean {
  let at: unknown = value;
  for (const key of path.split('.')) {
    if (!isPlain(at) || !(key in at)) return false;
    at = at[key];
  }
  return true;
}

/** The defaults deep-merged with a partner's overrides (e.g. parsed from a partner JSON file). */
export function resolvePartnerProfile(
  overrides: unknown,
  base: PartnerProfile = DEFAULT_PARTNER_PROFILE,
): ProfileResult {
  const merged = deepMerge(base, overrides);
  // An overridden element is the partner's agreed value, no longer the shipped guess.
  if (isPlain(merged) && !hasPath(overrides, 'unconfirmed'))
    merged.unconfirmed = base.unconfirmed.filter((path) => !hasPath(overrides, path));
  const parsed = PartnerProfileSchema.safeParse(merged);
  if (parsed.success) return { ok: true, profile: parsed.data, issues: [] };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) =>
      generateIssue('GENERATE_INVALID_PROFILE', `${i.path.join('.') || '(root)'}: ${i.message}`),
    ),
  };
}
