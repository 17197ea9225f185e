// What every endpoint module shares: the request type, the handler type, and how a body is read.

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDoc } from './openapi.js';
import { ApiError, type RouteBody } from './service.js';

export type Req = FastifyRequest<{
  Params: Record<string, string>;
  Querystring: Record<string, string | undefined>;
  Body: unknown;
}>;
export type Handler = (req: Req, reply: FastifyReply) => unknown;
/** An endpoint: its document (OpenAPI) and its handler. */
export type Endpoint = [RouteDoc, Handler];

export const P = (
  name: string,
  description: string,
): { name: string; in: 'path'; description: string } => ({
  name,
  in: 'path',
  description,
});
export const Q = (
  name: string,
  description: string,
): { name: string; in: 'query'; description: string } => ({
  name,
  in: 'query',
  description,
});

export function body(req: Req): RouteBody {
  if (req.body === undefined || req.body === null) return {};
  if (typeof req.body !== 'object' || Array.isArray(req.body))
    throw new ApiError(400, 'the body must be a JSON object');
  return req.body as RouteBody;
}

export function objectBody(req: Req): Record<string, unknown> {
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
    throw new ApiError(400, 'the body must be a JSON object');
  }
  return req.body as Record<string, unknown>;
}
