/**
 * The OpenAPI 3.1 document of the /v1 API, generated from the zod models (core/model/api.ts) with
 * zod's own z.toJSONSchema (JSON Schema 2020-12, the dialect OpenAPI 3.1 uses): requests as the
 * schemas accept them (`io: 'input'`, defaults optional), responses as they are produced.
 */
import { z } from 'zod';
import packageJson from '../../../package.json' with { type: 'json' };
import {
  ApiErrorSchema,
  BillDetailSchema,
  PersonDaysPageSchema,
  PersonDaysQuerySchema,
  PrecheckRequestSchema,
  PrecheckResponseSchema,
  SplitSuspectsAnswerSchema,
  SplitSuspectsQuerySchema,
} from '../../core/model/api.js';

type Json = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as Json;
  return rest;
}

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });

function json(description: string, schema: Json): Json {
  return { description, content: { 'application/json': { schema } } };
}

/** The query parameters of a GET route, one per property of its query schema. */
function queryParameters(query: z.ZodType = PersonDaysQuerySchema): Json[] {
  const schema = schemaOf(query, 'input') as {
    properties: Record<string, Json>;
    required?: string[];
  };
  return Object.entries(schema.properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: (schema.required ?? []).includes(name),
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

const errors = {
  '400': json('The request is not valid (each problem with its path)', ref('ApiError')),
  '401': json('A bearer token is required and was missing or wrong', ref('ApiError')),
};

export function openApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 's321 API',
      version: packageJson.version,
      description:
        'Section 321 de minimis aggregation: pre-filing checks, person-day totals and bill notifications. ' +
        'Money is integer USD cents. Bound to 127.0.0.1 by default; elsewhere every request needs a bearer token.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        PrecheckRequest: schemaOf(PrecheckRequestSchema, 'input'),
        PrecheckResponse: schemaOf(PrecheckResponseSchema, 'output'),
        PersonDaysPage: schemaOf(PersonDaysPageSchema, 'output'),
        BillDetail: schemaOf(BillDetailSchema, 'output'),
        SplitSuspectsAnswer: schemaOf(SplitSuspectsAnswerSchema, 'output'),
        ApiError: schemaOf(ApiErrorSchema, 'output'),
      },
    },
    security: [{ bearer: [] }, {}],
    paths: {
      '/v1/precheck': {
        post: {
          operationId: 'precheck',
          summary:
            'What a shipment (or a batch, in order) would do to its person-day under the rules in force that day; writes nothing',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: ref('PrecheckRequest') } },
          },
          responses: {
            '200': json('One answer per shipment, in request order', ref('PrecheckResponse')),
            ...errors,
            '413': json('The body is larger than the configured limit', ref('ApiError')),
            '501': json(
              'A shipment would move its bill between partitions (a partitioned queue-mode store)',
              ref('ApiError'),
            ),
          },
        },
      },
      '/v1/person-days': {
        get: {
          operationId: 'listPersonDays',
          summary: 'Person-day totals by day then consignee key, paginated',
          parameters: queryParameters(),
          responses: { '200': json('One page', ref('PersonDaysPage')), ...errors },
        },
      },
      '/v1/bills/{bill}': {
        get: {
          operationId: 'getBill',
          summary:
            'A bill: its version on record, what it adds to its person-day, notifications sent and pending',
          parameters: [
            {
              name: 'bill',
              in: 'path',
              required: true,
              description: 'The bill key `ISSUER/SCN`; its `/` may be sent as is or URL-encoded',
              schema: { type: 'string' },
            },
          ],
          responses: {
            '200': json('The bill', ref('BillDetail')),
            ...errors,
            '404': json('No such bill on record', ref('ApiError')),
          },
        },
      },
      '/v1/split-suspects': {
        get: {
          operationId: 'listSplitSuspects',
          summary:
            "A day's near-identical consignees (name or address variants) with the evidence and their combined total; reported, never merged",
          parameters: queryParameters(SplitSuspectsQuerySchema),
          responses: {
            '200': json('The suspect groups of the day', ref('SplitSuspectsAnswer')),
            ...errors,
            '501': json('The store keeps no consignee as sent (queue mode, Redis)', ref('ApiError')),
          },
        },
      },
      '/v1/openapi.json': {
        get: {
          operationId: 'openapi',
          summary: 'This document',
          responses: { '200': { description: 'OpenAPI 3.1 document', content: { 'application/json': {} } } },
        },
      },
    },
  };
}
