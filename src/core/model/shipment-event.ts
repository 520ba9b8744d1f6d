/**
 * The shipment event: one per shipment (or status line) in an inbound message. This zod schema is
 * the single source of both the TypeScript type and schemas/shipment-event.schema.json
 * (test/schemas.test.ts regenerates the JSON Schema and fails when the file drifts).
 */
import { z } from 'zod';

export const ModeSchema = z.enum(['truck', 'air', 'ocean', 'rail', 'mail']);
export type Mode = z.infer<typeof ModeSchema>;

/** 'S321' released off the manifest; 'ET86' entry type 86; 'other' not Section 321 (not counted). */
export const ShipmentTypeSchema = z.enum(['S321', 'ET86', 'other']);
export type ShipmentType = z.infer<typeof ShipmentTypeSchema>;

export const EventKindSchema = z.enum(['declared', 'amended', 'deleted', 'status']);
export type EventKind = z.infer<typeof EventKindSchema>;

const CalendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'calendar date YYYY-MM-DD');
const ClockTime = z.string().regex(/^\d{2}:\d{2}$/, 'time HH:MM');

export const BillSchema = z.object({
  /** Issuer SCAC (air: airline prefix). */
  issuer: z.string().min(1),
  /** Bill of lading / shipment control number (air: 8-digit master serial, then `/` + house bill if any). */
  scn: z.string().min(1),
  /** Stable identity: `${issuer}/${scn}` (issuer never contains '/'). */
  key: z.string().min(3),
});
export type Bill = z.infer<typeof BillSchema>;

export const PartySchema = z.object({
  /** 'UC' ultimate consignee, 'CN' consignee (used when no UC), 'CB' broker, 'SH' shipper, ... */
  role: z.string(),
  name: z.string(),
  street: z.string(),
  city: z.string(),
  state: z.string(),
  postal: z.string(),
  country: z.string(),
  idQualifier: z.string().optional(),
  id: z.string().optional(),
});
export type Party = z.infer<typeof PartySchema>;

export const MoneySchema = z.object({
  /** Fair retail value converted to USD, integer cents. */
  usdCents: z.number().int().nonnegative(),
  /** Original amount as sent (decimal string, '.' as decimal mark). */
  amount: z.string(),
  /** ISO 4217 currency as sent (USD when absent). */
  currency: z.string().length(3),
});
export type Money = z.infer<typeof MoneySchema>;

export const SourcePositionSchema = z.object({
  file: z.string(),
  standard: z.enum(['x12', 'edifact']),
  /** Sender id of the interchange (ISA06 / UNB 0004), trimmed. */
  sender: z.string(),
  /** ISA13 / UNB 0020 */
  interchangeControl: z.string(),
  /** GS06 / UNG 0048 ('' when absent) */
  groupControl: z.string(),
  /** ST02 / UNH 0062 */
  messageRef: z.string(),
  messageType: z.string(),
  /** 0-based file-level index of the segment that starts this shipment (LX, CNI, X4, RFF...). */
  segmentIndex: z.number().int().nonnegative(),
  byteOffset: z.number().int().nonnegative(),
  /**
   * Usage indicator of the input interchange (ISA15 'P'/'T'; UNB 0035 '1' recorded as 'T') when
   * the normalizer recorded it: outbound files mirror it (src/core/generate/common.ts usageFor).
   */
  usage: z.enum(['P', 'T']).optional(),
});
export type SourcePosition = z.infer<typeof SourcePositionSchema>;

export const ShipmentEventSchema = z.object({
  /** Deterministic id of this shipment version: hash of sender, control numbers, position and content. */
  eventId: z.string(),
  kind: EventKindSchema,
  bill: BillSchema,
  mode: ModeSchema,
  shipmentType: ShipmentTypeSchema,
  /** Express consignment (air express carriers get the 098 warning). */
  express: z.boolean(),
  /** ET86 entry number (filer code + number) when sent. */
  entryNumber: z.string().optional(),
  /** Carrier that filed the manifest (M10-01 / NAD+CA). */
  carrierScac: z.string(),
  /** Broker / filer party (N1*CB) when sent; ET86 notifications go to them. */
  brokerId: z.string().optional(),
  port: z.string().optional(),
  conveyanceRef: z.string().optional(),
  /** The ultimate consignee (UC, else CN) as sent; absent on status events and deletions. */
  consignee: PartySchema.optional(),
  /** Normalized consignee identity (rules.md §3); absent on status events and deletions. */
  consigneeKey: z.string().optional(),
  value: MoneySchema.optional(),
  /** Pieces (quantity) when sent; air CSN lines carry it. */
  pieces: z.number().int().nonnegative().optional(),
  /** Estimated date of arrival as sent (no time zone conversion). */
  eda: CalendarDate.optional(),
  edaTime: ClockTime.optional(),
  /** Actual arrival, US Eastern calendar date and time (status events). */
  arrivalDate: CalendarDate.optional(),
  arrivalTime: ClockTime.optional(),
  /** Status / disposition code (status events: X4-07, ERC). */
  disposition: z.string().optional(),
  /** Country of origin, ISO 3166 alpha-2 (the first one sent when several goods lines disagree). */
  origin: z.string().optional(),
  origins: z.array(z.string()),
  /** HTS codes of the goods lines. */
  hts: z.array(z.string()),
  description: z.string().optional(),
  /** Fields of the message that could not be mapped (names them, so nothing is dropped silently). */
  unmapped: z.array(z.string()),
  source: SourcePositionSchema,
});
export type ShipmentEvent = z.infer<typeof ShipmentEventSchema>;
