// The API's event stream (Server-Sent Events): session events from the log, best-route changes
// from the RIB, for as long as the client stays connected.

import type { ServerResponse } from 'node:http';
import { routeView } from '../daemon/views.js';
import type { LogEvent } from '../log/events.js';
import { rdToText } from '../wire/rd.js';
import type { Endpoint } from './endpoint.js';
import type { ApiService } from './service.js';

const SESSION_EVENTS = new Set<LogEvent['event']>([
  'session-up',
  'session-down',
  'max-prefix-exceeded',
  'leak-conflict',
  'leak-violation',
  'leak-violation-cleared',
  'config-applied',
  'config-refused',
]);

/** `streams` holds the open responses, for the server to end them when it closes. */
export function eventStream(s: ApiService, streams: Set<ServerResponse>): Endpoint {
  return [
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
  ];
}
