/**
 * The /v1 API routes over an ApiPort (ports/api.ts): validate with the zod models (core/model/api.ts),
 * ask the port, answer JSON. Mounted by `s321 api` (SQLite store) and `s321 serve` (Redis store) on
 * the server of http-server.ts, behind its auth.
 *
 *   POST /v1/precheck        { shipment } | { shipments: [...] }  → PrecheckResponse (writes nothing) | 501 (partitioned Redis)
 *   GET  /v1/person-days     ?day&consignee&exceeded&limit&cursor → PersonDaysPage
 *   GET  /v1/bills/:bill     (URL-encoded `ISSUER/SCN`)           → BillDetail | 404
 *   GET  /v1/split-suspects  ?day                                  → SplitSuspectsAnswer | 501 (Redis)
 *   GET  /v1/openapi.json    the OpenAPI 3.1 document of the above
 *
 * A request the schemas refuse gets 400 `{ error: 'invalid-request', message, issues: [{path, message}] }`.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { z } from 'zod';
import {
  type ApiError,
  BillParamsSchema,
  PersonDaysQuerySchema,
  PrecheckBatchSchema,
  PrecheckOneSchema,
  type PrecheckResponse,
  SplitSuspectsQuerySchema,
} from '../../core/model/api.js';
import { ApiNotImplementedError, type ApiPort, ApiRequestError } from '../../ports/api.js';
import { openApiDocument } from './openapi.js';

function invalid(reply: FastifyReply, where: string, error: z.ZodError): FastifyReply {
  const issues = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const body: ApiError = {
    error: 'invalid-request',
    message: `the ${where} is not valid: ${issues.map((i) => `${i.path === '' ? '(root)' : i.path}: ${i.message}`).join('; ')}`,
    issues,
  };
  return reply.code(400).send(body);
}

function refused(reply: FastifyReply, err: ApiRequestError): FastifyReply {
  const body: ApiError = {
    error: 'invalid-request',
    message: err.message,
    issues: [{ path: err.path, message: err.message }],
  };
  return reply.code(400).send(body);
}

export function registerApiRoutes(app: FastifyInstance, port: ApiPort): void {
  const document = openApiDocument();

  app.get('/v1/openapi.json', async () => document);

  app.post('/v1/precheck', async (request, reply) => {
    // The branch the body names is validated, so its problems are reported with their paths (a
    // union would report only that neither branch matched).
    const body = request.body;
    const batch = typeof body === 'object' && body !== null && 'shipments' in body;
    const parsed = (batch ? PrecheckBatchSchema : PrecheckOneSchema).safeParse(body);
    if (!parsed.success) return invalid(reply, 'pre-check request', parsed.error);
    const shipments = 'shipment' in parsed.data ? [parsed.data.shipment] : parsed.data.shipments;
    try {
      const answers = await port.precheck(shipments);
      const body: PrecheckResponse = { answers, discarded: true };
      return body;
    } catch (err) {
      if (err instanceof ApiRequestError) return refused(reply, err);
      if (err instanceof ApiNotImplementedError) {
        const body: ApiError = { error: 'not-implemented', message: err.message };
        return reply.code(501).send(body);
      }
      throw err;
    }
  });

  app.get('/v1/person-days', async (request, reply) => {
    const parsed = PersonDaysQuerySchema.safeParse(request.query);
    if (!parsed.success) return invalid(reply, 'query', parsed.error);
    try {
      return await port.personDays(parsed.data);
    } catch (err) {
      if (err instanceof ApiRequestError) return refused(reply, err);
      throw err;
    }
  });

  app.get('/v1/bills/*', async (request, reply) => {
    // A bill key holds '/' (`ISSUER/SCN`, air house bills a second one): sent URL-encoded or not,
    // the wildcard takes the rest of the path.
    const raw = (request.params as { '*': string })['*'];
    const parsed = BillParamsSchema.safeParse({ bill: raw });
    if (!parsed.success) return invalid(reply, 'bill', parsed.error);
    const detail = await port.bill(parsed.data.bill);
    if (detail === undefined) {
      const body: ApiError = { error: 'not-found', message: `no bill ${parsed.data.bill} on record` };
      return reply.code(404).send(body);
    }
    return detail;
  });

  app.get('/v1/split-suspects', async (request, reply) => {
    const parsed = SplitSuspectsQuerySchema.safeParse(request.query);
    if (!parsed.success) return invalid(reply, 'query', parsed.error);
    const answer = await port.splitSuspects(parsed.data.day);
    if (answer === undefined) {
      const body: ApiError = {
        error: 'not-implemented',
        message:
          'this store keeps no consignee as sent, so split-shipment suspects cannot be found (the embedded SQLite store does: s321 api)',
      };
      return reply.code(501).send(body);
    }
    return answer;
  });
}
