/**
 * Machine-readable segment specifications of the outbound messages (schemas/ace/*.json), derived
 * from CBP's guides, bulletins and published samples (each element names its source and status).
 * The checker (check.ts) holds a generated file against one.
 */
import { z } from 'zod';

/** Where an element's rule comes from: a guide or bulletin, a real sample, or a profile default. */
export const StatusSchema = z.enum(['confirmed', 'sample', 'unconfirmed']);

const ValueRule = {
  name: z.string(),
  mandatory: z.boolean().optional(),
  min: z.number().int().nonnegative().optional(),
  max: z.number().int().positive().optional(),
  /** Allowed values (a code list). */
  codes: z.array(z.string()).optional(),
  /** Anchored regular expression the value must match. */
  pattern: z.string().optional(),
  status: StatusSchema,
  source: z.string(),
};

/** X12 / EDIFACT element: position '3' (element 3) or '1.2' (element 1, component 2). */
export const ElementSpecSchema = z.object({ pos: z.string().regex(/^\d+(\.\d+)?$/), ...ValueRule });
export type ElementSpec = z.infer<typeof ElementSpecSchema>;

export const SegmentSpecSchema = z.object({
  tag: z.string(),
  name: z.string(),
  /** Highest element position the segment may carry. */
  maxElements: z.number().int().nonnegative(),
  /** Highest component count per element ('1' default: simple elements). */
  maxComponents: z.record(z.string(), z.number().int().positive()).optional(),
  elements: z.array(ElementSpecSchema),
});
export type SegmentSpec = z.infer<typeof SegmentSpecSchema>;

const EnvelopeRule = z.object({ ...ValueRule, name: z.string() });

export const X12SpecSchema = z.object({
  syntax: z.literal('x12'),
  channel: z.string(),
  title: z.string(),
  sources: z.array(z.string()),
  envelope: z.object({
    ISA12: EnvelopeRule,
    ISA15: EnvelopeRule,
    GS01: EnvelopeRule,
    GS08: EnvelopeRule,
    ST01: EnvelopeRule,
  }),
  /** Regular expression over the message's segment tags joined by single spaces (ST/SE excluded). */
  structure: z.string(),
  segments: z.array(SegmentSpecSchema),
});

export const EdifactSpecSchema = z.object({
  syntax: z.literal('edifact'),
  channel: z.string(),
  title: z.string(),
  sources: z.array(z.string()),
  envelope: z.object({
    syntax: EnvelopeRule,
    group: EnvelopeRule,
    messageType: EnvelopeRule,
    messageVersion: EnvelopeRule,
  }),
  structure: z.string(),
  segments: z.array(SegmentSpecSchema),
});

export const FieldSpecSchema = z.object({
  start: z.number().int().min(1),
  length: z.number().int().min(1),
  kind: z.enum(['AN', 'N']),
  ...ValueRule,
});

export const AbiSpecSchema = z.object({
  syntax: z.literal('abi'),
  channel: z.string(),
  title: z.string(),
  sources: z.array(z.string()),
  recordLength: z.number().int().positive(),
  /** Regular expression over the record ids joined by single spaces. */
  structure: z.string(),
  /** Record id → how to recognise it (a prefix) and its columns. */
  records: z.record(z.string(), z.object({ prefix: z.string(), fields: z.array(FieldSpecSchema) })),
  /** Record ids whose count field (name 'recordCount') counts the records since the previous one of `from`. */
  counts: z.array(z.object({ record: z.string(), from: z.string() })),
});

export const CamirSpecSchema = z.object({
  syntax: z.literal('camir'),
  channel: z.string(),
  title: z.string(),
  sources: z.array(z.string()),
  /** Regular expression over one message's line ids joined by single spaces. */
  structure: z.string(),
  /** Line id → anchored pattern; a line takes the first id whose pattern matches. */
  lines: z.array(z.object({ id: z.string(), pattern: z.string(), status: StatusSchema, source: z.string() })),
});

export const ConformanceSpecSchema = z.discriminatedUnion('syntax', [
  X12SpecSchema,
  EdifactSpecSchema,
  AbiSpecSchema,
  CamirSpecSchema,
]);
export type ConformanceSpec = z.infer<typeof ConformanceSpecSchema>;
export type X12Spec = z.infer<typeof X12SpecSchema>;
export type EdifactSpec = z.infer<typeof EdifactSpecSchema>;
export type AbiSpec = z.infer<typeof AbiSpecSchema>;
export type CamirSpec = z.infer<typeof CamirSpecSchema>;
