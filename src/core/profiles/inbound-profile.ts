/**
 * The inbound profile table (docs/conformance.md lists every element with its source): which element
 * holds what and which qualifier or code means what, as data. schemas/profiles/inbound-default.json is the shipped default; trading
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

const CountedType = ShipmentTypeSchema.exclude(['other']);

const ShipmentCodes = z.strictObject({
  /**
   * X12 309 M11-09 bill of lading type code → shipment type, per transport mode (truck 13/35 and
   * rail 23 are CBP's; the others are profile defaults). A code not listed is 'other' (not counted).
   */
  billTypes: z.partialRecord(ModeSchema, CodeMap(CountedType)),
  /** Entry type code (X12 N9 entry type, CUSCAR DOC type) → shipment type ('86' → ET86). */
  entryTypes: CodeMap(CountedType),
  /**
   * Partner dialect markers (formats.md's companion guide): N9 / GIS value → shipment type. Empty in
   * the default profile: no CBP guide defines them (schemas/profiles/dialects/s321-companion.json).
   */
  markers: CodeMap(CountedType),
  /** Dialect N9 / GIS values that mark an express consignment (empty by default, as `markers`). */
  express: z.array(Code),
  /**
   * Carrier codes (309 M10-01 / CUSCAR NAD+CA) whose AIR shipments are express consignments:
   * no CBP manifest element marks one, so the operator names its express consignment carriers
   * (config `inbound.expressCarriers`, `--express-carrier`). Empty by default.
   */
  expressCarriers: z.array(Code),
});

const X12_309 = z.strictObject({
  /** GS01 codes a 309 is expected in (truck AQ; CBP's ocean 309 guides use SO); others are a warning. */
  functionalIds: z.array(Code).min(1),
  m10: z.strictObject({ scac: Position, mode: Position, conveyance: Position }),
  p4: z.strictObject({ port: Position, date: Position, time: Position }),
  m13: z.strictObject({ action: Position }),
  /** M13 action → event kind; `defaultAction` applies when M13 or its element is absent. */
  actions: CodeMap(EventKindSchema.exclude(['status'])),
  defaultAction: Code,
  m11: z.strictObject({ bill: Position, issuer: Position, masterBill: Position, billType: Position }),
  n9: z.strictObject({
    qualifier: Position,
    value: Position,
    /** Dialect only: N9 qualifiers whose value is a `shipment.markers` code (N9*ZZ*S321). */
    shipmentTypeQualifiers: z.array(Code),
    entryQualifiers: z.array(Code),
    /** N9 qualifiers whose value is an entry type code (`shipment.entryTypes`). */
    entryTypeQualifiers: z.array(Code),
  }),
  /**
   * Rail residue cargo released under Section 321 (CSMS 12-000064): bill types it applies to, the
   * N9 qualifiers of its residue bill, and the value limit in cents (N10-06 required, over it ACE rejects).
   */
  residue: z.strictObject({
    billTypes: z.array(Code),
    billQualifiers: z.array(Code),
    maxValueCents: z.number().int().nonnegative(),
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
  /** GS01 codes a 350 is expected in (AU; X12 put the 350 in SO up to 4020). */
  functionalIds: z.array(Code).min(1),
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
  /** CNI action (C503 second component): 23 add, 24 change, 22 cancel → event kind of that consignment. */
  cniAction: EdiPosition,
  cniActions: CodeMap(EventKindSchema.exclude(['status'])),
  /** DOC document codes (C002 1001) that carry the declaration type (entry type) of the consignment. */
  declarationDocuments: z.array(Code),
  /** Where the DOC carries its type code and the entry number. */
  declarationType: EdiPosition,
  declarationNumber: EdiPosition,
  /** DOC type code → shipment type (13 / 35 Section 321, 86 entry type 86). */
  declarationTypes: CodeMap(CountedType),
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
  /** RFF qualifiers of the shipment's bill (SCN), in preference order. */
  billQualifiers: z.array(Code),
  /** DOC codes that open a shipment group (CBP's per-shipment DOC+929). */
  shipmentDocuments: z.array(Code),
  /** DTM qualifiers that are an actual arrival by definition (178). */
  arrivalDateQualifiers: z.array(Code),
  /** DTM qualifiers of a status's date/time, in preference order: the arrival when the status means 'arrived'. */
  statusDateQualifiers: z.array(Code),
  /** Mode when the CUSRES names none (TDT is optional in a response). */
  defaultMode: ModeSchema,
  ignoredSegments: z.array(Code),
});

export const InboundProfileBodySchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.string().min(1),
  description: z.string(),
  /** Source and status of each default (docs/conformance.md has the full table; documentation only, never read by code). */
  notes: z.record(z.string(), z.string()).optional(),
  defaultCurrency: z.string().regex(/^[A-Z]{3}$/),
  /**
   * Which party is the consignee the total is kept for, in preference order: the first role with a
   * name or id wins. ACE aggregates on the manifest's consignee (N1*CN / NAD+CN).
   */
  consigneeRoles: z.array(z.enum(['consignee', 'ultimateConsignee'])).min(1),
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
