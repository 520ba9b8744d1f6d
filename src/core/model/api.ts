/**
 * The HTTP API's records (issue #16): what a pre-check takes and answers, a person-day as the API
 * lists it, a bill with its notifications. These zod schemas are the single source of the request
 * validation, the TypeScript types and the OpenAPI document (adapters/http/openapi.ts).
 */
import { z } from 'zod';
import { DecisionSchema, RulesProfileSchema } from './decision.js';
import { ModeSchema, ShipmentTypeSchema } from './shipment-event.js';

/** A real calendar day (2025-02-30 is refused). */
const CalendarDay = z.iso.date({ message: 'expected a calendar day YYYY-MM-DD' });

/** A plain decimal amount as sent, '.' as decimal mark: `500`, `500.5`, `1234.56`. */
const DecimalAmount = z
  .string()
  .regex(
    /^\d{1,15}(\.\d{1,6})?$/,
    'expected a decimal amount such as "123.45" (digits, "." as decimal mark)',
  );

/** The consignee as a manifest names it: a name and address, or an explicit identifier (rules.md §3). */
export const PrecheckConsigneeSchema = z
  .strictObject({
    name: z.string().max(200).default(''),
    street: z.string().max(200).default(''),
    city: z.string().max(100).default(''),
    state: z.string().max(50).default(''),
    postal: z.string().max(20).default(''),
    country: z.string().max(50).default(''),
    /** Identifier qualifier as sent with the id (e.g. `24` EIN, `EI`). */
    idQualifier: z.string().max(10).optional(),
    id: z.string().max(50).optional(),
  })
  .refine((c) => c.name.trim() !== '' || (c.id ?? '').trim() !== '', {
    message: 'a consignee needs a name (with its address) or an id',
  });
export type PrecheckConsignee = z.output<typeof PrecheckConsigneeSchema>;

/** One shipment to check: what a manifest line would declare. */
export const PrecheckShipmentSchema = z.strictObject({
  /** The bill `ISSUER/SCN` (air: airline prefix / master serial, then `/house` if any). */
  bill: z
    .string()
    .regex(
      /^[^/\s]+\/\S+$/,
      'expected a bill "ISSUER/SCN" (issuer SCAC or airline prefix, "/", the bill number)',
    )
    .max(80),
  consignee: PrecheckConsigneeSchema,
  day: CalendarDay.describe(
    "The person-day's calendar day (the EDA, or the arrival day in eras counting by arrival).",
  ),
  value: DecimalAmount,
  /** ISO 4217; amounts other than USD are converted with the configured rate table. */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code such as "USD"')
    .default('USD'),
  mode: ModeSchema,
  shipmentType: ShipmentTypeSchema.default('S321'),
  carrierScac: z
    .string()
    .min(1)
    .max(10)
    .optional()
    .describe(
      "The carrier filing the manifest (recipient of carrier notifications); default: the bill's issuer.",
    ),
  /** The broker / filer code (ET86 notifications go to them). */
  brokerId: z.string().min(1).max(10).optional(),
  express: z.boolean().default(false),
  /** Country of origin, ISO alpha-2. */
  origin: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  hts: z
    .array(z.string().regex(/^\d{2,10}$/))
    .max(100)
    .default([]),
});
export type PrecheckShipment = z.output<typeof PrecheckShipmentSchema>;
export type PrecheckShipmentInput = z.input<typeof PrecheckShipmentSchema>;

/** Most shipments one pre-check takes (a batch is evaluated in order as one hypothetical batch). */
export const PRECHECK_MAX_SHIPMENTS = 1000;

export const PrecheckOneSchema = z.strictObject({ shipment: PrecheckShipmentSchema });
export const PrecheckBatchSchema = z.strictObject({
  shipments: z.array(PrecheckShipmentSchema).min(1).max(PRECHECK_MAX_SHIPMENTS),
});
/** `{ shipment }` or `{ shipments: [...] }` (the API validates with the branch the body names). */
export const PrecheckRequestSchema = z.union([PrecheckOneSchema, PrecheckBatchSchema]);
export type PrecheckRequest = z.input<typeof PrecheckRequestSchema>;

/** A notification the shipment would cause: to its own bill (crossing) or to earlier bills of the day. */
export const PrecheckNotificationSchema = DecisionSchema.pick({
  bill: true,
  channel: true,
  code: true,
  text: true,
  recipient: true,
  role: true,
  withhold: true,
  mode: true,
});
export type PrecheckNotification = z.infer<typeof PrecheckNotificationSchema>;

export const PrecheckAnswerSchema = z.object({
  index: z.number().int().nonnegative().describe('Position of the shipment in the request (0-based).'),
  bill: z.string(),
  consigneeKey: z.string(),
  day: CalendarDay,
  profile: RulesProfileSchema.describe(
    'The era in force that day (rule calendar) and its threshold: strictly above it exceeds.',
  ),
  thresholdCents: z.number().int().positive(),
  valueCents: z.number().int().nonnegative().describe("The shipment's value in USD cents."),
  /** The person-day's total before this shipment (the store's, plus earlier shipments of the batch). */
  currentTotalCents: z.number().int().nonnegative(),
  totalAfterCents: z
    .number()
    .int()
    .nonnegative()
    .describe("The person-day's total once this shipment counts (unchanged when it is not counted)."),
  /** The person-day was exceeded before this shipment. */
  alreadyExceeded: z.boolean(),
  wouldExceed: z.boolean().describe('This shipment takes the person-day over the threshold.'),
  /** The shipment counts toward the person-day (false: ineligible, a repeat, or not Section 321). */
  counted: z.boolean(),
  notifications: z
    .array(PrecheckNotificationSchema)
    .describe('The notifications applying it would send, in the order the engine decides them.'),
  /** Why nothing or something unusual happened (audit of the engine, e.g. a bill already on record). */
  notes: z.array(z.string()),
});
export type PrecheckAnswer = z.infer<typeof PrecheckAnswerSchema>;

export const PrecheckResponseSchema = z.object({
  answers: z.array(PrecheckAnswerSchema),
  discarded: z.literal(true).describe('Always true: a pre-check discards what it computed.'),
});
export type PrecheckResponse = z.infer<typeof PrecheckResponseSchema>;

/** `GET /v1/person-days` query string. */
export const PersonDaysQuerySchema = z.strictObject({
  day: CalendarDay.optional(),
  consignee: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'A consignee key (`na|…`, `id|…`) exactly, or text found in the folded name of a name-and-address key (case, spaces and accents ignored).',
    ),
  exceeded: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(400).optional().describe('The `next` of the previous page.'),
});
export type PersonDaysQuery = z.output<typeof PersonDaysQuerySchema>;

export const ApiPartySchema = z.object({
  name: z.string(),
  street: z.string(),
  city: z.string(),
  state: z.string(),
  postal: z.string(),
  country: z.string(),
  idQualifier: z.string().optional(),
  id: z.string().optional(),
});

export const PersonDayItemSchema = z.object({
  day: CalendarDay,
  consigneeKey: z.string(),
  consignee: ApiPartySchema.optional().describe(
    'The consignee as first sent for this person-day, when the store kept it.',
  ),
  totalCents: z.number().int().nonnegative(),
  bills: z.number().int().nonnegative(),
  billKeys: z.array(z.string()),
  thresholdCents: z.number().int().positive(),
  profile: RulesProfileSchema,
  exceeded: z.boolean().describe('The total is above the threshold now.'),
});
export type PersonDayItem = z.infer<typeof PersonDayItemSchema>;

export const PersonDaysPageSchema = z.object({
  items: z.array(PersonDayItemSchema),
  next: z.string().optional().describe('Pass as `cursor` for the next page; absent on the last page.'),
});
export type PersonDaysPage = z.infer<typeof PersonDaysPageSchema>;

export const BillParamsSchema = z.strictObject({
  bill: z.string().min(3).max(80),
});

export const BillVersionSchema = z.object({
  eventId: z.string().describe('The inbound shipment event of this version.'),
  versionHash: z.string(),
  mode: ModeSchema,
  shipmentType: ShipmentTypeSchema,
  consigneeKey: z.string().optional(),
  day: z.string().optional(),
  cents: z.number().int().nonnegative(),
  deleted: z.boolean(),
  lastDisposition: z.string().optional(),
  profile: RulesProfileSchema.optional(),
});

export const BillDetailSchema = z.object({
  bill: z.string(),
  issuer: z.string(),
  scn: z.string(),
  carrierScac: z.string(),
  /**
   * The versions the store holds: it keeps a bill's latest version only (rules.md §2, the latest
   * version wins), so this is one entry.
   */
  versions: z.array(BillVersionSchema),
  /** What the bill adds to its person-day now (0 when not counted). */
  contribution: z.object({
    counted: z.boolean(),
    cents: z.number().int().nonnegative(),
    consigneeKey: z.string().optional(),
    day: z.string().optional(),
    personDayTotalCents: z.number().int().nonnegative().optional(),
  }),
  notifications: z.object({
    /** Put into an outbound file. */
    sent: z.array(DecisionSchema),
    /** Decided, not yet in an outbound file. */
    pending: z.array(DecisionSchema),
  }),
});
export type BillDetail = z.infer<typeof BillDetailSchema>;

/** The body of every 4xx/5xx answer. */
export const ApiErrorSchema = z.object({
  error: z.string(),
  message: z.string(),
  issues: z
    .array(z.object({ path: z.string(), message: z.string() }))
    .optional()
    .describe('Validation problems, each with its path in the request.'),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

/** `GET /v1/split-suspects` query string. */
export const SplitSuspectsQuerySchema = z.strictObject({
  day: CalendarDay.describe('The calendar day whose person-days are compared.'),
});

const NearReasonSchema = z
  .enum([
    'same-name-other-id',
    'name-word-order',
    'name-subset',
    'name-initials',
    'name-typo',
    'address-street-variant',
    'address-postal-variant',
  ])
  .describe('Why two consignees look like one person (core/consignee/near-identical.ts).');

export const SplitSuspectGroupSchema = z.object({
  id: z.string(),
  day: CalendarDay,
  members: z.array(
    z.object({
      consigneeKey: z.string(),
      consignee: ApiPartySchema,
      totalCents: z.number().int().nonnegative(),
      bills: z.number().int().nonnegative(),
    }),
  ),
  pairs: z
    .array(z.object({ a: z.string(), b: z.string(), reason: NearReasonSchema }))
    .describe('The evidence: every near-identical pair found between members (consignee keys).'),
  combinedCents: z.number().int().nonnegative(),
  thresholdCents: z.number().int().positive(),
  combinedExceeds: z
    .boolean()
    .describe('Together above the threshold. Reported only: the person-days are not merged (rules.md §3).'),
});

export const SplitSuspectsAnswerSchema = z.object({
  day: CalendarDay,
  groups: z.array(SplitSuspectGroupSchema),
});
export type SplitSuspectsAnswer = z.infer<typeof SplitSuspectsAnswerSchema>;
