// The management HTTP API (fastify). JSON reads of everything the CLI shows, route writes, reload,
// log level, an event stream, Prometheus metrics and the OpenAPI document. Every refusal is a 4xx
// with `{ message }`. Bound to 127.0.0.1 by default; a bearer token is required anywhere else.

import { timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { stringify } from 'yaml';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { routeView } from '../daemon/views.js';
import type { LogEvent } from '../log/events.js';
import { rdToText } from '../wire/rd.js';
import { graphToDot } from './graph.js';
import { graphToSvg } from './svg.js';
import { createMetrics } from './metrics.js';
import { openApiDocument, type RouteDoc } from './openapi.js';
import { adjRibRoutes } from './adj-rib.js';
import { reloadConfig } from './reload.js';
import { ApiError, type ApiService, type RouteBody } from './service.js';

export interface ApiOptions {
  /** Bearer token; when set every request but /openapi.json must carry it. */
  readonly token?: string;
  /** The file `POST /api/v1/reload` re-reads. */
  readonly configFile?: string;
  readonly version?: string;
}

type Req = FastifyRequest<{
  Params: Record<string, string>;
  Querystring: Record<string, string | undefined>;
  Body: unknown;
}>;
type Handler = (req: Req, reply: FastifyReply) => unknown;

const SESSION_EVENTS = new Set<LogEvent['event']>([
  'session-up',
  'session-down',
  'max-prefix-exceeded',
  'leak-conflict',
  'config-applied',
  'config-refused',
]);

const P = (
  name: string,
  description: string,
): { name: string; in: 'path'; description: string } => ({
  name,
  in: 'path',
  description,
});
const Q = (
  name: string,
  description: string,
): { name: string; in: 'query'; description: string } => ({
  name,
  in: 'query',
  description,
});
const ROUTE_BODY = {
  prefix: 'the prefix, e.g. 10.1.0.0/24',
  rd: 'route distinguisher (VPN tables only)',
  nextHop: 'next hop address (default: next-hop-self)',
  label: 'MPLS label for VPN routes (default 3)',
  routeTargets: 'route targets, e.g. ["65000:10"]',
  communities: 'communities, e.g. ["65000:1"]',
  localPref: 'LOCAL_PREF',
  med: 'MULTI_EXIT_DISC',
};

function body(req: Req): RouteBody {
  if (req.body === undefined || req.body === null) return {};
  if (typeof req.body !== 'object' || Array.isArray(req.body))
    throw new ApiError(400, 'the body must be a JSON object');
  return req.body as RouteBody;
}

function objectBody(req: Req): Record<string, unknown> {
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
    throw new ApiError(400, 'the body must be a JSON object');
  }
  return req.body as Record<string, unknown>;
}

/** Applies an edited config through the reload path (refused whole on any error, with key paths). */
function editConfig(s: ApiService, next: unknown) {
  return reloadConfig(s, '<api>', { text: stringify(next) });
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

  const routes: [RouteDoc, Handler][] = [
    [
      { method: 'GET', url: '/api/v1/summary', summary: 'BGP summary: tables and neighbors' },
      () => s.summary(),
    ],
    [{ method: 'GET', url: '/api/v1/neighbors', summary: 'Every neighbor' }, () => s.neighbors()],
    [
      {
        method: 'GET',
        url: '/api/v1/neighbors/:addr',
        summary: 'One neighbor',
        params: [P('addr', 'neighbor address')],
      },
      (r) => s.neighbor(r.params.addr!),
    ],
    [
      {
        method: 'POST',
        url: '/api/v1/neighbors/:addr/clear',
        summary:
          'Clear a neighbor: hard (session reset, Cease/Administrative Reset) or soft in (route refresh) / out (send again) / both',
        params: [P('addr', 'neighbor address')],
        body: { soft: '"in" | "out" | "both"; absent: hard reset' },
      },
      (r) => s.clearNeighbor(r.params.addr!, (body(r) as Record<string, unknown>)['soft']),
    ],
    ...adjRibRoutes(s.daemon),
    [
      {
        method: 'GET',
        url: '/api/v1/routes/:family',
        summary:
          'A global table (vpnv4, vpnv6, ipv4, ipv6, ipv4-labeled, ipv6-labeled), every path, best first',
        params: [
          P('family', 'vpnv4 | vpnv6 | ipv4 | ipv6 | ipv4-labeled | ipv6-labeled'),
          Q('rd', 'only this route distinguisher'),
          Q('prefix', 'exact prefix, or an address for the longest match'),
        ],
      },
      (r) => s.routes(r.params.family!, { rd: r.query.rd, prefix: r.query.prefix }),
    ],
    [
      {
        method: 'POST',
        url: '/api/v1/routes/:family',
        summary: 'Originate a route in a global table',
        params: [P('family', 'vpnv4 | vpnv6 | ipv4 | ipv6')],
        body: ROUTE_BODY,
      },
      (r) => s.addRoute(r.params.family!, body(r)),
    ],
    [
      {
        method: 'DELETE',
        url: '/api/v1/routes/:family',
        summary: 'Withdraw a route added through the API',
        params: [
          P('family', 'vpnv4 | vpnv6 | ipv4 | ipv6'),
          Q('prefix', 'the prefix'),
          Q('rd', 'route distinguisher (VPN)'),
        ],
      },
      (r) => s.deleteRoute(r.params.family!, { prefix: r.query.prefix, rd: r.query.rd }),
    ],
    [
      { method: 'GET', url: '/api/v1/vrfs', summary: 'Every VRF: RD, RTs, tags, policies, counts' },
      () => s.vrf.vrfs(),
    ],
    [
      {
        method: 'GET',
        url: '/api/v1/vrfs/:name',
        summary: 'One VRF',
        params: [P('name', 'VRF name')],
      },
      (r) => s.vrfOne(r.params.name!),
    ],
    [
      {
        method: 'GET',
        url: '/api/v1/vrfs/:name/routes',
        summary: "A VRF's table",
        params: [
          P('name', 'VRF name'),
          Q('family', 'ipv4 (default) | ipv6'),
          Q('prefix', 'exact prefix or an address'),
        ],
      },
      (r) => s.vrfRoutes(r.params.name!, r.query.family ?? 'ipv4', r.query.prefix),
    ],
    [
      {
        method: 'POST',
        url: '/api/v1/vrfs/:name/routes',
        summary: 'Originate a route in a VRF',
        params: [P('name', 'VRF name')],
        body: ROUTE_BODY,
      },
      (r) => s.addVrfRoute(r.params.name!, body(r)),
    ],
    [
      {
        method: 'DELETE',
        url: '/api/v1/vrfs/:name/routes',
        summary: 'Withdraw a VRF route added through the API',
        params: [P('name', 'VRF name'), Q('prefix', 'the prefix')],
      },
      (r) => s.deleteVrfRoute(r.params.name!, { prefix: r.query.prefix }),
    ],
    [
      { method: 'GET', url: '/api/v1/policy/prefix-lists', summary: 'Prefix lists' },
      () => s.prefixLists(),
    ],
    [
      {
        method: 'GET',
        url: '/api/v1/policy/prefix-lists/:name',
        summary: 'One prefix list',
        params: [P('name', 'list name')],
      },
      (r) => s.prefixLists(r.params.name),
    ],
    [
      { method: 'GET', url: '/api/v1/policy/route-maps', summary: 'Route maps' },
      () => s.routeMaps(),
    ],
    [
      {
        method: 'GET',
        url: '/api/v1/policy/route-maps/:name',
        summary: 'One route map',
        params: [P('name', 'route map name')],
      },
      (r) => s.routeMaps(r.params.name),
    ],
    [
      {
        method: 'GET',
        url: '/api/v1/leak/conflicts',
        summary: 'Leak conflicts (a VRF route beat a leaked one)',
      },
      () => s.vrf.conflicts(),
    ],
    [
      {
        method: 'GET',
        url: '/api/v1/leak/graph',
        summary: 'The leak graph: VRFs and RT edges',
        params: [Q('format', 'json (default) | dot | svg')],
      },
      (r, reply) => {
        const g = s.vrf.graph();
        if (r.query.format === undefined || r.query.format === 'json') return g;
        if (r.query.format === 'svg') return reply.type('image/svg+xml').send(graphToSvg(g));
        if (r.query.format !== 'dot')
          throw new ApiError(400, `unknown format "${r.query.format}"; use json, dot or svg`);
        return reply.type('text/vnd.graphviz').send(graphToDot(g));
      },
    ],
    [
      {
        method: 'GET',
        url: '/api/v1/explain/:vrf',
        summary: 'Why a prefix is or is not in a VRF',
        params: [P('vrf', 'VRF name'), Q('prefix', 'the prefix')],
      },
      (r) => s.explain(r.params.vrf!, r.query.prefix ?? ''),
    ],
    // Writes of neighbors, VRFs and policies: each edits the running config and goes through the
    // same path as a reload, so a bad object is refused with the config checker's key path and
    // message, and only what changed is touched.
    [
      {
        method: 'POST',
        url: '/api/v1/neighbors',
        summary: 'Add (or replace) a neighbor; the body is a neighbor as in the config file',
        body: {
          address: 'IP address',
          asn: 'number',
          '...': 'any neighbor key of the config file',
        },
      },
      (r) => {
        const n = objectBody(r);
        const addr = String(n['address'] ?? '');
        const neighbors = s.running.neighbors.filter((x) => x.address !== addr);
        return editConfig(s, { ...s.running, neighbors: [...neighbors, n] });
      },
    ],
    [
      {
        method: 'DELETE',
        url: '/api/v1/neighbors/:addr',
        summary: 'Remove a neighbor (its session ends with Cease / Peer De-configured)',
        params: [P('addr', 'neighbor address')],
      },
      (r) => {
        const addr = r.params.addr!;
        if (!s.running.neighbors.some((x) => x.address === addr)) {
          throw new ApiError(404, `no neighbor ${addr}`);
        }
        const neighbors = s.running.neighbors.filter((x) => x.address !== addr);
        return editConfig(s, { ...s.running, neighbors });
      },
    ],
    [
      {
        method: 'PUT',
        url: '/api/v1/vrfs/:name',
        summary: 'Create or replace a VRF; the body is a VRF as in the config file',
        params: [P('name', 'VRF name')],
        body: { rd: 'RD', 'route-targets': '{ import, export }', '...': 'any VRF key' },
      },
      (r) =>
        editConfig(s, {
          ...s.running,
          vrfs: { ...s.running.vrfs, [r.params.name!]: objectBody(r) },
        }),
    ],
    [
      {
        method: 'DELETE',
        url: '/api/v1/vrfs/:name',
        summary: 'Remove a VRF: everything it produced is withdrawn everywhere',
        params: [P('name', 'VRF name')],
      },
      (r) => {
        const name = r.params.name!;
        if (!(name in s.running.vrfs)) throw new ApiError(404, `no VRF ${name}`);
        const { [name]: _gone, ...vrfs } = s.running.vrfs;
        return editConfig(s, { ...s.running, vrfs });
      },
    ],
    [
      {
        method: 'PUT',
        url: '/api/v1/policy',
        summary: 'Replace the policy section (prefix lists, community lists, route maps)',
        body: { 'prefix-lists': '{}', 'route-maps': '{}', '...': 'the policy section' },
      },
      (r) => editConfig(s, { ...s.running, policy: objectBody(r) }),
    ],
    [
      {
        method: 'POST',
        url: '/api/v1/reload',
        summary: 'Re-read the config file; refused whole on any error',
      },
      async () => {
        if (!opts.configFile)
          throw new ApiError(409, 'this daemon was not started from a config file');
        return reloadConfig(s, opts.configFile);
      },
    ],
    [
      {
        method: 'POST',
        url: '/api/v1/dry-run',
        summary: 'The changes a config would make, applying nothing',
        body: { config: 'YAML text', file: 'name for error messages' },
      },
      async (r) => {
        const b = body(r) as { config?: unknown; file?: unknown };
        if (typeof b.config !== 'string')
          throw new ApiError(400, 'config (the YAML text) is required');
        return reloadConfig(s, typeof b.file === 'string' ? b.file : '<dry-run>', {
          dryRun: true,
          text: b.config,
        });
      },
    ],
    [
      { method: 'GET', url: '/api/v1/log-level', summary: 'The log level' },
      () => ({ level: s.log.level }),
    ],
    [
      {
        method: 'PUT',
        url: '/api/v1/log-level',
        summary: 'Change the log level at run time',
        body: { level: 'trace | debug | info | warn | error | fatal | silent' },
      },
      (r) => s.setLogLevel((body(r) as { level?: unknown }).level),
    ],
    [
      {
        method: 'GET',
        url: '/api/v1/events',
        summary: 'Server-Sent Events: session up/down with reason, best-route changes',
        produces: 'text/event-stream',
      },
      (r, reply) => {
        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
        });
        raw.write(': vrfleak events\n\n');
        const send = (type: string, data: unknown) =>
          raw.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
        const offLog = s.log.subscribe((e) => {
          if (SESSION_EVENTS.has(e.event)) send(e.event, e);
        });
        const offRib = s.daemon.rib.onEvent(({ view, family, change }) => {
          const best = change.newBest;
          const any = best ?? change.oldBest;
          if (!any) return; // a change always has an old or a new best route
          send('best-changed', {
            table: view === '' ? family : `${view}/${family}`,
            prefix: routeView(any, false).prefix,
            ...(any.nlri.kind === 'vpn' ? { rd: rdToText(any.nlri.rd) } : {}),
            best: best ? routeView(best, true, change.dest) : null,
          });
        });
        streams.add(raw);
        r.raw.on('close', () => {
          offLog();
          offRib();
          streams.delete(raw);
        });
      },
    ],
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
