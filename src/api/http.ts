// The management HTTP API (fastify): the server around the endpoints (endpoints-state.ts,
// endpoints-config.ts, events-stream.ts), Prometheus metrics and the OpenAPI document. Every refusal
// is a 4xx with `{ message }`. Bound to 127.0.0.1 by default; a bearer token is required anywhere
// else.

import { timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Endpoint } from './endpoint.js';
import { configEndpoints } from './endpoints-config.js';
import { mrtEndpoints } from './endpoints-mrt.js';
import { stateEndpoints } from './endpoints-state.js';
import { rtcEndpoints } from './endpoints-rtc.js';
import { eventStream } from './events-stream.js';
import { createMetrics } from './metrics.js';
import { openApiDocument } from './openapi.js';
import { ApiError, type ApiService } from './service.js';

export interface ApiOptions {
  /** Bearer token; when set every request but /openapi.json must carry it. */
  readonly token?: string;
  /** The file `POST /api/v1/reload` re-reads. */
  readonly configFile?: string;
  readonly version?: string;
}

function tokenOk(expected: string, header: string | undefined): 'ok' | 'missing' | 'wrong' {
  if (!header) return 'missing';
  const m = /^Bearer\s+(.+)$/i.exec(header);
  if (!m) return 'missing';
  const a = Buffer.from(m[1]!);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b) ? 'ok' : 'wrong';
}

export function isLoopback(address: string): boolean {
  return /^127\./.test(address) || address === '::1' || address === 'localhost';
}

/** The fastify app (not listening): fastify.inject() drives it in tests. */
export async function buildApi(s: ApiService, opts: ApiOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  const metrics = createMetrics(s);
  const streams = new Set<ServerResponse>();
  const version = opts.version ?? '0.1.0';

  const routes: Endpoint[] = [
    ...stateEndpoints(s),
    ...configEndpoints(s, opts.configFile),
    ...mrtEndpoints(s),
    ...rtcEndpoints(s),
    eventStream(s, streams),
    [
      { method: 'GET', url: '/metrics', summary: 'Prometheus metrics', produces: 'text/plain' },
      async (_r, reply) =>
        reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
    ],
  ];
  const doc = openApiDocument(
    [...routes.map(([d]) => d), { method: 'GET', url: '/openapi.json', summary: 'This document' }],
    version,
  );
  routes.push([{ method: 'GET', url: '/openapi.json', summary: 'This document' }, () => doc]);

  app.addHook('onRequest', async (req, reply) => {
    if (!opts.token || req.url === '/openapi.json') return;
    const v = tokenOk(opts.token, req.headers.authorization);
    if (v === 'missing')
      return reply
        .code(401)
        .send({ message: 'missing bearer token (Authorization: Bearer TOKEN)' });
    if (v === 'wrong') return reply.code(403).send({ message: 'wrong bearer token' });
  });
  app.addHook('preClose', async () => {
    for (const r of streams) r.end();
    metrics.close();
  });
  app.setErrorHandler(
    (err: Error & { statusCode?: number; code?: string; errors?: string[] }, req, reply) => {
      if (err instanceof ApiError) {
        s.log.emit({
          event: 'api-refused',
          method: req.method,
          url: req.url,
          status: err.status,
          message: err.message,
        });
        return reply
          .code(err.status)
          .send({ message: err.message, ...(err.errors ? { errors: err.errors } : {}) });
      }
      const status = err.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        const bad = err.code?.startsWith('FST_ERR_CTP')
          ? `bad JSON body: ${err.message}`
          : err.message;
        return reply.code(status).send({ message: bad });
      }
      return reply.code(500).send({ message: `internal error: ${err.message}` });
    },
  );
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({
      message: `no such endpoint: ${req.method} ${req.url.split('?')[0]}; see /openapi.json`,
    }),
  );
  for (const [d, h] of routes) app.route({ method: d.method, url: d.url, handler: h as never });
  await app.ready();
  return app;
}

export interface RunningApi {
  readonly app: FastifyInstance;
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on address:port; refuses a non-loopback address without a token. */
export async function startApi(
  s: ApiService,
  listen: { address: string; port: number },
  opts: ApiOptions = {},
): Promise<RunningApi> {
  if (!isLoopback(listen.address) && !opts.token) {
    throw new ApiError(
      400,
      `api.address ${listen.address} is not a loopback address: set api.token (a bearer token) to expose the API`,
    );
  }
  const app = await buildApi(s, opts);
  await app.listen({ host: listen.address, port: listen.port });
  const a = app.server.address();
  const port = typeof a === 'object' && a ? a.port : listen.port;
  s.log.emit({ event: 'api-listen', address: listen.address, port, token: !!opts.token });
  return { app, address: listen.address, port, close: () => app.close() };
}
