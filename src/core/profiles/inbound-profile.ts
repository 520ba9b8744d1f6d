/**
 * The inbound profile table (formats.md "Inbound"): which element holds what and which qualifier or
 * code means what, as data. schemas/profiles/inbound-default.json is the shipped default; trading
 * partners override parts of it by sender id (see resolve-profile.ts). Element positions are 1-based
 * (XX01 = 1); EDIFACT positions are [element, component], both 1-based.
 */
import { z } from 'zod';
import { EventKindSchema, ModeSchema, ShipmentTypeSchema } from '../model/shipment-event.js';

const Position = z.number().int().min(1).max(99);
const EdiPosition = z.tuple([Position, Position]);
const Code = z.string().min(1);
const CodeMap = <T extends z.ZodType>(value: T) => z.record(z.string(), value);

/** What a party qualifier means for the normalizer; 'other' parties are named in `unmapped`. */
export const PartyRoleSchema = z.enum([
  'ultimateConsignee',
  'consignee',
  'broker',
  'shipper',
  'carrier',
  'other',
]);
export type PartyRole = z.infer<typeof PartyRoleSchema>;

/** Disposition meaning: only 'arrived' changes the mapping (the status date is the actual arrival). */
export const DispositionMeaningSchema = z.enum([
  'arrived',
  'released',
  'warning',
  'withheld',
  'hold',
  'history',
]);

const ShipmentCodes = z.strictObject({
  /** N9*ZZ / GIS value → shipment type ('S321', 'ET86'). */
  shipmentTypes: CodeMap(ShipmentTypeSchema.exclude(['other'])),
  /** N9*ZZ / GIS values that mark an express consignment. */
  express: z.array(Code),
});

const X12_309 = z.strictObject({
  functionalId: Code,
  m10: z.strictObject({ scac: Position, mode: Position, conveyance: Position }),
  p4: z.strictObject({ port: Position, date: Position, time: Position }),
  m13: z.strictObject({ action: Position }),
  /** M13 action → event kind; `defaultAction` applies when M13 or its element is absent. */
  actions: CodeMap(EventKindSchema.exclude(['status'])),
  defaultAction: Code,
  m11: z.strictObject({ bill: Position, issuer: Position, masterBill: Position }),
  n9: z.strictObject({
    qualifier: Position,
    value: Position,
    shipmentTypeQualifiers: z.array(Code),
    entryQualifiers: z.array(Code),
  }),
  n1: z.strictObject({ role: Position, name: Position, idQualifier: Position, id: Position }),
  n10: z.strictObject({
    quantity: Position,
    description: Position,
    htsQualifier: Position,
    hts: Position,
    value: Position,
    origin: Position,
    currency: Position,
    htsQualifiers: z.array(Code),
  }),
  /** Segment tags in the LX loop that carry nothing for s321 and are not reported as unmapped. */
  ignoredSegments: z.array(Code),
});

const X12_350 = z.strictObject({
  functionalId: Code,
  x4: z.strictObject({
    bill: Position,
    quantity: Position,
    entry: Position,
    date: Position,
    time: Position,
    disposition: Position,
    issuer: Position,
  }),
  ignoredSegments: z.array(Code),
});

const CUSCAR = z.strictObject({
  /** BGM 1225 → event kind. */
  messageFunctions: CodeMap(EventKindSchema.exclude(['status'])),
  /** Applies when BGM 1225 is absent. */
  defaultFunction: Code,
  bgmFunction: EdiPosition,
  tdtMode: EdiPosition,
  portLocationQualifiers: z.array(Code),
  edaDateQualifiers: z.array(Code),
  /** RFF qualifiers of the bill / SCN, in preference order. */
  billQualifiers: z.array(Code),
  /** Air: RFF qualifiers of the master air waybill and of the house bill. */
  airMasterQualifiers: z.array(Code),
  airHouseQualifiers: z.array(Code),
  entryQualifiers: z.array(Code),
  valueQualifiers: z.array(Code),
  originLocationQualifiers: z.array(Code),
  /** PIA C212 item type codes (7143) and GIN qualifiers (7405) that carry an HTS number. */
  htsItemTypes: z.array(Code),
  descriptionTextQualifiers: z.array(Code),
  /** Issuer = first `scacLength` characters of the bill when the bill is longer than `minLength - 1`. */
  scacPrefix: z.strictObject({
    minLength: z.number().int().min(1),
    scacLength: z.number().int().min(2).max(4),
  }),
  ignoredSegments: z.array(Code),
});

const CUSRES = z.strictObject({
  billQualifiers: z.array(Code),
  arrivalDateQualifiers: z.array(Code),
  /** Mode when the CUSRES names none (TDT is optional in a response). */
  defaultMode: ModeSchema,
  ignoredSegments: z.array(Code),
});

export const InboundProfileBodySchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.string().min(1),
  description: z.string(),
  /** Why a default is what it is where formats.md is silent (documentation only, never read by code). */
  notes: z.record(z.string(), z.string()).optional(),
  defaultCurrency: z.string().regex(/^[A-Z]{3}$/),
  modes: z.strictObject({ x12: CodeMap(ModeSchema), edifact: CodeMap(ModeSchema) }),
  shipment: ShipmentCodes,
  partyRoles: z.strictObject({ x12: CodeMap(PartyRoleSchema), edifact: CodeMap(PartyRoleSchema) }),
  /** Disposition / status codes (X4-07, ERC) and their meaning. Codes not listed are kept as history. */
  dispositions: CodeMap(DispositionMeaningSchema),
  /** Time zone designators of DTM format 303 → offset from UTC in minutes. */
  timeZones: CodeMap(z.number().int().min(-840).max(840)),
  /** The zone "as sent" local times are in when no zone is given (X12 350, DTM 203). */
  arrivalTimeZone: z.string().refine(isKnownTimeZone, 'an IANA time zone this runtime knows'),
  air: z.strictObject({
    /** Verify the AWB serial's mod-7 check digit (a warning, not a rejection, when it fails). */
    checkDigit: z.boolean(),
  }),
  entryNumberPattern: z.string().min(1),
  x12: z.strictObject({ '309': X12_309, '350': X12_350 }),
  edifact: z.strictObject({ CUSCAR: CUSCAR, CUSRES: CUSRES }),
});

/** The default table plus per-partner overrides (deep-merged over the table, then validated again). */
export const InboundProfileSchema = InboundProfileBodySchema.extend({
  /** Sender id ('ISA06'/'UNB 0004' trimmed, or 'QUALIFIER:ID') → partial profile. */
  partners: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
});

/** Intl throws a RangeError for a zone it does not know; that is the whole check. */
function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export type InboundProfileBody = z.infer<typeof InboundProfileBodySchema>;
export type InboundProfile = z.infer<typeof InboundProfileSchema>;
