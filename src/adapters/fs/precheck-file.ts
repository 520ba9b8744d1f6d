/**
 * Reads a pre-check file (`s321 precheck`, issue #16) into request-shaped shipments for the API's
 * schema to validate: JSON (an array of shipments, or `{ shipments: [...] }` as POST /v1/precheck
 * takes), or CSV in the columns bulk-upload tools use — consignee, address, value, currency, day,
 * bill, plus mode — parsed with csv-parse (quotes, embedded commas and newlines, a BOM).
 *
 * CSV columns (header names, case and spaces ignored; aliases in parentheses):
 *   bill, consignee (name), address (street, address1), city, state, postal (zip), country,
 *   id_qualifier, id (consignee_id), value, currency, day (date, eda), mode, carrier, broker,
 *   origin, hts (several separated by spaces or ';'), shipment_type, express (true/false/yes/no/1/0)
 * Empty cells are left out, so the schema's defaults apply (currency USD, type S321).
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';

export class PrecheckFileError extends Error {
  override readonly name = 'PrecheckFileError';
  /** What was given cannot be read as shipments: the CLI exits 2. */
  readonly exitCode = 2;
}

const COLUMN: Readonly<Record<string, string>> = {
  bill: 'bill',
  consignee: 'consignee.name',
  name: 'consignee.name',
  address: 'consignee.street',
  street: 'consignee.street',
  address1: 'consignee.street',
  city: 'consignee.city',
  state: 'consignee.state',
  postal: 'consignee.postal',
  zip: 'consignee.postal',
  country: 'consignee.country',
  idqualifier: 'consignee.idQualifier',
  id: 'consignee.id',
  consigneeid: 'consignee.id',
  value: 'value',
  currency: 'currency',
  day: 'day',
  date: 'day',
  eda: 'day',
  mode: 'mode',
  carrier: 'carrierScac',
  broker: 'brokerId',
  origin: 'origin',
  hts: 'hts',
  shipmenttype: 'shipmentType',
  express: 'express',
};

const headerKey = (name: string): string => name.toLowerCase().replace(/[\s_-]/g, '');

/** Request-shaped shipments (unvalidated) and, for CSV, the file line of each (for messages). */
export interface PrecheckFileRows {
  format: 'csv' | 'json';
  shipments: unknown[];
  /** 1-based line of each shipment's record in a CSV file. */
  lines?: number[];
}

export async function readPrecheckFile(path: string): Promise<PrecheckFileRows> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new PrecheckFileError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return readJson(path, text);
  if (ext === '.csv') return readCsv(path, text);
  throw new PrecheckFileError(`${path}: expected a .csv or .json file`);
}

function readJson(path: string, text: string): PrecheckFileRows {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new PrecheckFileError(`${path}: not JSON (${(err as Error).message})`);
  }
  const shipments = Array.isArray(value)
    ? value
    : typeof value === 'object' &&
        value !== null &&
        Array.isArray((value as { shipments?: unknown }).shipments)
      ? (value as { shipments: unknown[] }).shipments
      : undefined;
  if (shipments === undefined)
    throw new PrecheckFileError(`${path}: expected an array of shipments or { "shipments": [...] }`);
  return { format: 'json', shipments };
}

function readCsv(path: string, text: string): PrecheckFileRows {
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parse(text, {
      bom: true,
      columns: (header: string[]) =>
        header.map((h) => {
          const field = COLUMN[headerKey(h)];
          if (field === undefined)
            throw new PrecheckFileError(
              `${path}: unknown column "${h}" (known: ${Object.keys(COLUMN).join(', ')})`,
            );
          return field;
        }),
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as Array<{ record: Record<string, string>; info: { lines: number } }>;
  } catch (err) {
    if (err instanceof PrecheckFileError) throw err;
    throw new PrecheckFileError(`${path}: ${(err as Error).message}`);
  }
  return {
    format: 'csv',
    shipments: records.map(({ record }) => shipmentOfRow(record)),
    lines: records.map(({ info }) => info.lines),
  };
}

function shipmentOfRow(row: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const consignee: Record<string, string> = {};
  for (const [field, raw] of Object.entries(row)) {
    if (raw === '') continue;
    if (field.startsWith('consignee.')) consignee[field.slice('consignee.'.length)] = raw;
    else if (field === 'hts') out.hts = raw.split(/[\s;]+/).filter((h) => h !== '');
    else if (field === 'express')
      out.express = /^(true|yes|y|1)$/i.test(raw) ? true : /^(false|no|n|0)$/i.test(raw) ? false : raw;
    else if (field === 'currency' || field === 'mode' || field === 'origin')
      out[field] = field === 'mode' ? raw.toLowerCase() : raw.toUpperCase();
    else out[field] = raw;
  }
  out.consignee = consignee;
  return out;
}
