/** JSON Schemas of the public records, generated from their zod schemas (the single source of truth). */
import { z } from 'zod';
import { DecisionSchema } from './decision.js';
import { ShipmentEventSchema } from './shipment-event.js';

function render(schema: z.ZodType, id: string, title: string): string {
  const json = { $id: id, title, ...z.toJSONSchema(schema, { target: 'draft-2020-12' }) };
  return `${JSON.stringify(json, null, 2)}\n`;
}

export const JSON_SCHEMA_FILES: Readonly<Record<string, () => string>> = {
  'schemas/shipment-event.schema.json': () =>
    render(ShipmentEventSchema, 'https://s321.local/schemas/shipment-event.schema.json', 'Shipment event'),
  'schemas/decision.schema.json': () =>
    render(
      DecisionSchema,
      'https://s321.local/schemas/decision.schema.json',
      'Decision (notification record)',
    ),
};
