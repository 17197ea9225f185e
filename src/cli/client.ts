// The CLI's side of the HTTP API: one request per command, refusals turned into CliError with the
// API's own message (and its file:line errors for a refused config).

export class CliError extends Error {
  constructor(
    message: string,
    readonly errors: string[] = [],
    readonly status = 0,
  ) {
    super(message);
  }
}

export class ApiClient {
  readonly base: string;

  constructor(
    api: string,
    private readonly token?: string,
  ) {
    this.base = /^https?:\/\//.test(api) ? api.replace(/\/$/, '') : `http://${api}`;
  }

  async request(method: string, path: string, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
      throw new CliError(
        `cannot reach the vrfleak API at ${this.base} (${cause}); is \`vrfleak run\` running? (--api HOST:PORT)`,
      );
    }
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    const data: unknown = type.includes('json') && text ? JSON.parse(text) : text;
    if (!res.ok) {
      const d = data as { message?: string; errors?: string[] };
      throw new CliError(d.message ?? `HTTP ${res.status}`, d.errors ?? [], res.status);
    }
    return data;
  }

  get<T>(path: string): Promise<T> {
    return this.request('GET', path) as Promise<T>;
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request('POST', path, body) as Promise<T>;
  }
}

export function query(q: Record<string, string | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}
