// Polling with a deadline. Interop checks must never sleep and then compare: peers converge at
// their own pace, so every check retries until it holds or a deadline passes, and a timeout names
// what was awaited and the last value seen so the failure can be read without re-running.

export interface WaitOptions {
  /** What is awaited, for the error message ("FRR sees 10.1.0.0/24 under RD 65001:10"). */
  what: string;
  timeoutMs?: number;
  intervalMs?: number;
}

export class WaitTimeoutError extends Error {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    readonly lastValue: unknown,
    readonly lastError: unknown,
  ) {
    const last =
      lastError !== undefined
        ? `last probe threw: ${errorText(lastError)}`
        : `last observed value: ${preview(lastValue)}`;
    super(`timed out after ${timeoutMs} ms waiting for ${what}; ${last}`);
    this.name = 'WaitTimeoutError';
  }
}

/**
 * Calls `probe` until it returns something other than `undefined` or `false`, and resolves with
 * that. A probe that throws is retried too (a daemon that is still starting refuses connections);
 * the last throw is reported on timeout.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  opts: WaitOptions,
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const intervalMs = opts.intervalMs ?? 200;
  const deadline = Date.now() + timeoutMs;
  let lastValue: unknown = undefined;
  let lastError: unknown = undefined;
  for (;;) {
    try {
      const v = await probe();
      lastError = undefined;
      if (v !== undefined && v !== false) return v;
      lastValue = v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline)
      throw new WaitTimeoutError(opts.what, timeoutMs, lastValue, lastError);
    await delay(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
}

/**
 * Polls a value until `accept` holds for it; the last value (not just `false`) is reported on
 * timeout, which is what one wants when the value is a peer's JSON.
 */
export async function waitUntil<T>(
  read: () => Promise<T>,
  accept: (v: T) => boolean,
  opts: WaitOptions,
): Promise<T> {
  let last: { v: T } | undefined;
  try {
    return await waitFor(async () => {
      const v = await read();
      last = { v };
      return accept(v) ? { v } : undefined;
    }, opts).then((box) => box.v);
  } catch (err) {
    if (err instanceof WaitTimeoutError && last !== undefined && err.lastError === undefined) {
      throw new WaitTimeoutError(opts.what, err.timeoutMs, last.v, undefined);
    }
    throw err;
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function preview(v: unknown): string {
  let s: string;
  try {
    s = typeof v === 'string' ? v : JSON.stringify(v);
  } catch {
    s = String(v);
  }
  if (s === undefined) s = String(v);
  return s.length > 2000 ? `${s.slice(0, 2000)}… (${s.length} chars)` : s;
}
