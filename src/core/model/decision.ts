/**
 * A decision: one notification (or report) for one bill to one recipient. It is the JSON twin of
 * every outbound message line and the row of decisions.jsonl.
 */
import { z } from 'zod';
import { ModeSchema, SourcePositionSchema } from './shipment-event.js';

/**
 * An air flight as CAMIR's ARR line carries it: the importing carrier's 2–3 character code, the
 * flight number (1–4 digits) and an optional operational suffix letter (e.g. KL0643, 5X123A).
 */
export const FLIGHT_DESIGNATOR = /^[A-Z0-9]{2,3}\d{1,4}[A-Z]?$/;

/** Outbound channel = message family + recipient kind (formats.md "Outbound: notifications"). */
export const ChannelSchema = z.enum([
  'truck-x12-350',
  'truck-cusres',
  'carrier-x12-350',
  'air-camir-fsn',
  'air-camir-fer',
  'broker-abi-sx',
  'broker-abi-so',
  'report',
]);
export type Channel = z.infer<typeof ChannelSchema>;

export const RulesProfileSchema = z.enum([
  'threshold200',
  'threshold800',
  'release2',
  'release3',
  'suspended',
  'repealed',
]);
export type RulesProfile = z.infer<typeof RulesProfileSchema>;

export const DecisionSchema = z.object({
  /** Stable id: `${bill}|${channel}|${code}`: a bill gets each notification at most once. */
  decisionId: z.string(),
  /** Global order of the decision (processing order). */
  seq: z.number().int().nonnegative(),
  /** Bill key `${issuer}/${scn}` (see ShipmentEvent.bill). */
  bill: z.string(),
  /** Issuer SCAC (air: 3-digit airline prefix). */
  issuer: z.string(),
  /** Bill / SCN (air: 8-digit master serial, then `/` and the house bill when there is one). */
  scn: z.string(),
  /** Carrier that filed the manifest (the recipient of carrier channels). */
  carrierScac: z.string(),
  mode: ModeSchema,
  channel: ChannelSchema,
  /** '95', 'SN517', '2M', '4M', '098', '284', '30', hold codes, or INELIGIBLE-* for reports. */
  code: z.string(),
  text: z.string(),
  /** Who receives it: carrier SCAC or broker filer code. */
  recipient: z.string(),
  /** 'crossing' for the shipment that made (or keeps) the day exceeded, 'earlier' for previously accepted bills. */
  role: z.enum(['crossing', 'earlier', 'ineligible']),
  withhold: z.boolean(),
  consigneeKey: z.string(),
  day: z.string(),
  /** Person-day total in cents after the causing event. */
  totalCents: z.number().int().nonnegative(),
  profile: RulesProfileSchema,
  entryNumber: z.string().optional(),
  pieces: z.number().int().nonnegative().optional(),
  port: z.string().optional(),
  /**
   * Flight (importing carrier code + flight number) the bill arrived on, when the manifest gave
   * one: the CAMIR FSN ARR line carries it. Absent, the FSN goes out without ARR and says so.
   */
  flight: z.string().regex(FLIGHT_DESIGNATOR).optional(),
  /** The inbound shipment event (and its position) that caused this decision. */
  causeEventId: z.string(),
  cause: SourcePositionSchema,
});
export type Decision = z.infer<typeof DecisionSchema>;
