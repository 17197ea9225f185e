// The API's config writes: each edits the running config and goes through the reload path; and
// reload, dry-run and the log level.

import { stringify } from 'yaml';
import { body, objectBody, P, type Endpoint } from './endpoint.js';
import { reloadConfig } from './reload.js';
import { ApiError, type ApiService } from './service.js';

/** Applies an edited config through the reload path (refused whole on any error, with key paths). */
function editConfig(s: ApiService, next: unknown) {
  return reloadConfig(s, '<api>', { text: stringify(next) });
}

export function configEndpoints(s: ApiService, configFile: string | undefined): Endpoint[] {
  return [
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
        if (!configFile) throw new ApiError(409, 'this daemon was not started from a config file');
        return reloadConfig(s, configFile);
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
  ];
}
