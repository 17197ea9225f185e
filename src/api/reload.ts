// Live reload through the API (POST /api/v1/reload, SIGHUP, `vrfleak reload`, the config edits):
// load the new config, refuse it whole if it has any error (the running one stays), otherwise
// apply it through the one reconfigure path (applyConfig, src/api/apply.ts). Dry-run runs that
// same path on a shadow daemon and reports what it did there.

import { loadConfig, loadConfigFile, type LoadResult } from '../config/load.js';
import type { NeighborUpdates, RouteChange, UpdateCount } from '../daemon/simulate.js';
import { applyConfig, predictConfig } from './apply.js';
import { describeChange } from './describe-change.js';
import { ApiError, type ApiService } from './service.js';

export { describeChange };

export interface ReloadResult {
  file: string;
  dryRun: boolean;
  /** One line per change, in the order diffConfig gives them. */
  changes: string[];
  /** What was applied (dry-run: what would be), then what the dependency graph re-evaluated. */
  applied: string[];
  /** Changes this daemon cannot apply live (kept in the running config all the same). */
  pending: string[];
  warnings: string[];
  /** Dry run: the routes that would change in each table, and the UPDATEs peers would get. */
  routeChanges?: RouteChange[];
  /** Dry run: best-path changes of the global tables per family. */
  updates?: UpdateCount[];
  /** Dry run: per neighbor, what it would be sent (after its route-map-out) or that it restarts. */
  neighbors?: NeighborUpdates[];
}

function refuse(loaded: Extract<LoadResult, { ok: false }>, s: ApiService): never {
  const errors = loaded.errors.map((e) => e.toString());
  s.log.emit({ event: 'config-refused', errors });
  throw new ApiError(
    422,
    `config refused (${errors.length} error(s)); the running config is kept`,
    errors,
  );
}

/** Re-reads `file` (or takes `text`), refuses it on any error, else applies the difference. */
export async function reloadConfig(
  s: ApiService,
  file: string,
  opts: { dryRun?: boolean; text?: string } = {},
): Promise<ReloadResult> {
  // host: the FIB's interfaces and tables are checked on this host before anything is applied.
  const loaded =
    opts.text !== undefined
      ? loadConfig(opts.text, file, { host: s.hostChecks })
      : await loadConfigFile(file, { host: s.hostChecks });
  if (!loaded.ok) refuse(loaded, s);
  const next = loaded.config;
  const base = {
    file,
    dryRun: opts.dryRun === true,
    warnings: loaded.warnings.map((w) => w.toString()),
  };
  if (opts.dryRun) {
    const p = await predictConfig(s.daemon, s.running, next);
    return {
      ...base,
      changes: p.changes.map(describeChange),
      applied: p.applied,
      pending: p.pending,
      routeChanges: p.routes,
      updates: p.updates,
      neighbors: p.sent,
    };
  }
  const r = applyConfig(s.daemon, s.running, next);
  s.setRunning(next);
  s.log.emit({ event: 'config-applied', changes: r.applied.length });
  return {
    ...base,
    changes: r.changes.map(describeChange),
    applied: r.applied,
    pending: r.pending,
  };
}
