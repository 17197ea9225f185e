// The OpenAPI 3 document, generated from the same route table http.ts registers, so a route cannot
// exist without being documented (a test checks both ways).

export interface ParamDoc {
  readonly name: string;
  readonly in: 'path' | 'query';
  readonly description: string;
  readonly required?: boolean;
}

export interface RouteDoc {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** fastify form: /api/v1/neighbors/:addr */
  readonly url: string;
  readonly summary: string;
  readonly params?: readonly ParamDoc[];
  /** Fields of the JSON body, name -> description. */
  readonly body?: Readonly<Record<string, string>>;
  /** Content type of the success response when not JSON. */
  readonly produces?: string;
}

const ERROR_SCHEMA = {
  type: 'object',
  required: ['message'],
  properties: {
    message: { type: 'string' },
    errors: { type: 'array', items: { type: 'string' } },
  },
};

function openapiPath(url: string): string {
  return url.replace(/:([A-Za-z]+)/g, '{$1}');
}

export function openApiDocument(routes: readonly RouteDoc[], version: string): object {
  const paths: Record<string, Record<string, object>> = {};
  for (const r of routes) {
    const p = (paths[openapiPath(r.url)] ??= {});
    const op: Record<string, unknown> = {
      summary: r.summary,
      operationId: `${r.method.toLowerCase()}${openapiPath(r.url).replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
      responses: {
        '200': {
          description: 'OK',
          content: {
            [r.produces ?? 'application/json']: {
              schema: r.produces ? { type: 'string' } : { type: 'object' },
            },
          },
        },
        '4XX': {
          description: 'Bad request, unknown name, missing or wrong token, refused config',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    };
    if (r.params?.length) {
      op.parameters = r.params.map((x) => ({
        name: x.name,
        in: x.in,
        required: x.in === 'path' ? true : (x.required ?? false),
        description: x.description,
        schema: { type: 'string' },
      }));
    }
    if (r.body) {
      op.requestBody = {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: Object.fromEntries(
                Object.entries(r.body).map(([k, d]) => [k, { description: d }]),
              ),
            },
          },
        },
      };
    }
    p[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'vrfleak management API',
      version,
      description:
        'Reads of everything the vrfleak CLI shows, route writes, reload, log level, an event ' +
        'stream (Server-Sent Events) and Prometheus metrics. Bound to 127.0.0.1 by default; a ' +
        'bearer token (config api.token) is required when bound elsewhere.',
    },
    servers: [{ url: 'http://127.0.0.1:8179' }],
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
    security: [{}, { bearer: [] }],
    paths,
  };
}
