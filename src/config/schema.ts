// The config file schema (DESIGN.md "The config file"): one zod schema, types derived from it.
// Text values (RDs, RTs, prefixes) are checked here and come out in canonical spelling; names
// that refer to other parts of the file are checked by crossref.ts once this schema passes.

import { z } from 'zod';
import { addPathSchema, checkAddPathFamilies } from './schema-add-path.js';
import { checkLlgrFamilies, llgrSchema } from './schema-llgr.js';
import { peCeKeys } from './schema-pece.js';
import { checkExtCommunity, checkInterfaceAddress, checkRd, isV6 } from './values.js';
import {
  action,
  asn,
  community,
  int,
  ip,
  ipv4,
  largeCommunity,
  named,
  port,
  prefix,
  ref,
  rt,
  seq,
  textOf,
} from './schema-values.js';
import { bmpSchema } from './schema-bmp.js';
import { passwordSchema, ttlSecuritySchema } from './schema-security.js';
import { mrtSchema } from './schema-mrt.js';
import { fibSchema } from './schema-fib.js';
import { expectSchema } from './schema-expect.js';

export const FAMILY_NAMES = [
  'ipv4',
  'ipv6',
  'ipv4-labeled',
  'ipv6-labeled',
  'vpnv4',
  'vpnv6',
  'rtc',
] as const;

// RFC 4724 §3: restart time is a 12-bit field.
const gracefulRestart = z.strictObject({
  enabled: z.boolean().default(true),
  'restart-time': int(1, 4095).default(120),
  'stale-time': int(1, 65535).default(360),
});

/** A neighbor's own graceful restart: times left out are the global block's (then its defaults). */
const neighborGracefulRestart = z.strictObject({
  enabled: z.boolean().default(true),
  'restart-time': int(1, 4095).optional(),
  'stale-time': int(1, 65535).optional(),
});

const maxPrefix = z.strictObject({
  limit: int(1, 0xffffffff),
  'warning-threshold-pct': int(1, 100).default(75),
  /** Seconds after which a session torn down for max-prefix is started again; omit: stay down. */
  'restart-after': int(1, 65535).optional(),
});

export const neighborSchema = z
  .strictObject({
    address: ip,
    asn,
    description: z.string().optional(),
    port: int(1, 65535).default(179),
    'local-address': ip.optional(),
    // RFC 4271 §4.2: hold time is zero or at least three seconds.
    'hold-time': int(0, 65535)
      .refine((v) => v === 0 || v >= 3, { message: 'hold-time must be 0 or at least 3 seconds' })
      .default(90),
    keepalive: int(1, 21845).optional(),
    'connect-retry': int(1, 65535).default(5),
    passive: z.boolean().default(false),
    /** Omitted: [vpnv4], or [ipv4]/[ipv6] (by address) for a PE-CE neighbor bound to a VRF. */
    families: z.array(z.enum(FAMILY_NAMES)).min(1).optional(),
    'route-reflector-client': z.boolean().default(false),
    'cluster-id': ipv4.optional(),
    'graceful-restart': neighborGracefulRestart.optional(),
    'long-lived-graceful-restart': llgrSchema.optional(),
    'max-prefix': maxPrefix.optional(),
    'route-map-in': ref.optional(),
    'route-map-out': ref.optional(),
    vrf: ref.optional(),
    ...peCeKeys,
    /**
     * FRR's `soft-reconfiguration inbound`: keep the routes the peer sent as received (before
     * route-map-in) so an inbound policy change applies without asking the peer again.
     */
    'soft-reconfiguration': z.enum(['inbound']).optional(),
    'next-hop-self': z.boolean().default(false),
    /**
     * The address announced as "self" to this neighbor instead of the session's local address
     * (labs on 127.0.0.0/8: GoBGP and FRR refuse loopback next hops).
     */
    'next-hop-address': ip.optional(),
    'add-path': addPathSchema.optional(),
    shutdown: z.boolean().default(false),
    /** Unsent octets towards this neighbor before its session is reset (a peer that stops reading). */
    'max-output-queue': int(65536, 2 ** 31).optional(),
    password: passwordSchema.optional(),
    'ttl-security': ttlSecuritySchema.optional(),
  })
  .superRefine((n, ctx) => {
    if (n.keepalive !== undefined && n['hold-time'] !== 0 && n.keepalive >= n['hold-time']) {
      ctx.addIssue({
        code: 'custom',
        path: ['keepalive'],
        message: `keepalive ${n.keepalive} must be less than hold-time ${n['hold-time']}`,
      });
    }
  })
  .transform((n) => ({
    ...n,
    families: n.families ?? (n.vrf !== undefined ? [isV6(n.address) ? 'ipv6' : 'ipv4'] : ['vpnv4']),
  }))
  .superRefine(checkAddPathFamilies)
  .superRefine(checkLlgrFamilies);

const communityOps = <T extends z.ZodType>(item: T) =>
  z
    .strictObject({
      add: z.array(item).optional(),
      remove: z.array(item).optional(),
      replace: z.array(item).optional(),
    })
    .superRefine((o, ctx) => {
      // The policy compiler refuses the mix (src/policy/compile.ts): say so here, with a position,
      // rather than let the daemon fail to start on a config `vrfleak check` passed.
      if (o.replace !== undefined && (o.add !== undefined || o.remove !== undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: ['replace'],
          params: { atKey: true },
          message: 'replace cannot be combined with add or remove',
        });
      }
    });

const networkObject = z.strictObject({
  prefix,
  communities: z.array(community).optional(),
  'large-communities': z.array(largeCommunity).optional(),
  med: int(0, 0xffffffff).optional(),
  'local-preference': int(0, 0xffffffff).optional(),
  'route-targets': z.array(rt).optional(),
  'next-hop': ip.optional(),
});

/** `10.1.5.0/24` is short for `{ prefix: 10.1.5.0/24 }`. */
const network = z.preprocess((v) => (typeof v === 'string' ? { prefix: v } : v), networkObject);

const staticRoute = z
  .strictObject({
    prefix,
    'next-hop': ip,
    /** The table the next hop resolves in: a VRF name or `default` (the global table). */
    'next-hop-vrf': ref.optional(),
  })
  .superRefine((s, ctx) => {
    if (isV6(s.prefix) !== isV6(s['next-hop'])) {
      ctx.addIssue({
        code: 'custom',
        path: ['next-hop'],
        message: `next hop ${s['next-hop']} is not the same address family as ${s.prefix}`,
      });
    }
  });

/** `true` is accepted so that crossref can say why a policy is required. */
const defaultLeak = z.preprocess(
  (v) => (v === true ? {} : v === false ? undefined : v),
  z.strictObject({ policy: ref.optional() }).optional(),
);

export const vrfSchema = z.strictObject({
  rd: textOf(checkRd),
  'route-targets': z
    .strictObject({
      import: z.array(rt).default([]),
      export: z.array(rt).default([]),
      // DESIGN.md Export: `replace` strips the route's existing RTs before adding ours.
      'export-mode': z.enum(['add', 'replace']).default('add'),
    })
    .prefault({}),
  'import-tags': z.array(rt).default([]),
  'export-tag': rt.optional(),
  'import-map': ref.optional(),
  'export-map': ref.optional(),
  /** RFC 3032 §2.1: labels 0-15 are reserved. `auto` takes one from `labels.range`. */
  label: z.union([int(16, 1048575), z.literal('auto')]).default('auto'),
  'export-next-hop': ip.optional(),
  'allow-reexport': z.boolean().default(false),
  /** How often our own AS may appear in the AS path of a route leaked into this VRF. */
  'allowas-in': int(0, 10).default(0),
  conflict: z.enum(['prefer-local', 'best-path']).default('prefer-local'),
  'leak-from-default': defaultLeak,
  'leak-to-default': defaultLeak,
  interfaces: z
    .array(z.strictObject({ name: z.string().min(1), address: textOf(checkInterfaceAddress) }))
    .default([]),
  networks: z.array(network).default([]),
  'static-routes': z.array(staticRoute).default([]),
  /** What may be leaked into the VRF: the leak monitor (schema-expect.ts). */
  expect: expectSchema.optional(),
});

const prefixListEntry = z
  .strictObject({
    seq,
    action,
    prefix,
    ge: int(0, 128).optional(),
    le: int(0, 128).optional(),
  })
  .superRefine((e, ctx) => {
    if (e.ge !== undefined && e.le !== undefined && e.ge > e.le) {
      ctx.addIssue({
        code: 'custom',
        path: ['ge'],
        message: `ge ${e.ge} is greater than le ${e.le}`,
      });
    }
  });

const listEntry = <K extends string, T extends z.ZodType>(key: K, item: T) =>
  z.strictObject({ seq, action, [key]: z.array(item).min(1) } as {
    seq: typeof seq;
    action: typeof action;
  } & Record<K, z.ZodArray<T>>);

const routeMapEntry = z.strictObject({
  seq,
  action,
  match: z
    .strictObject({
      'prefix-list': ref.optional(),
      'community-list': ref.optional(),
      'ext-community-list': ref.optional(),
      'large-community-list': ref.optional(),
      'source-vrf': ref.optional(),
      'source-protocol': z.enum(['connected', 'static', 'local', 'bgp', 'leaked']).optional(),
    })
    .optional(),
  set: z
    .strictObject({
      'local-preference': int(0, 0xffffffff).optional(),
      med: int(0, 0xffffffff).optional(),
      community: communityOps(community).optional(),
      'large-community': communityOps(largeCommunity).optional(),
      'route-target': communityOps(rt).optional(),
      'next-hop': z.union([ip, z.literal('self')]).optional(),
      weight: int(0, 0xffffffff).optional(),
      'as-path-prepend': z.array(asn).min(1).optional(),
    })
    .optional(),
  /** Go on to the clause with this seq (`true`: the next clause) after a permit match. */
  continue: z.union([seq, z.literal(true)]).optional(),
  'on-match': z.literal('next').optional(),
});

export const policySchema = z.strictObject({
  'prefix-lists': named(z.array(prefixListEntry).min(1)).default({}),
  'community-lists': named(z.array(listEntry('communities', community)).min(1)).default({}),
  'large-community-lists': named(
    z.array(listEntry('large-communities', largeCommunity)).min(1),
  ).default({}),
  'ext-community-lists': named(
    z.array(listEntry('ext-communities', textOf(checkExtCommunity))).min(1),
  ).default({}),
  'route-maps': named(z.array(routeMapEntry).min(1)).default({}),
});

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

export const configSchema = z.strictObject({
  asn,
  'router-id': ipv4,
  'cluster-id': ipv4.optional(),
  /** RFC 4456 §5: reflect between clients; false when they are fully meshed (FRR's `no bgp client-to-client reflection`). */
  'client-to-client': z.boolean().default(true),
  /** Omitted: no passive listening. */
  listen: z.strictObject({ address: ip, port: port.default(179) }).optional(),
  api: z
    .strictObject({
      address: ip.default('127.0.0.1'),
      port: port.default(8179),
      token: z.string().min(1).optional(),
    })
    .prefault({}),
  log: z.strictObject({ level: z.enum(LOG_LEVELS).default('info') }).prefault({}),
  'graceful-restart': gracefulRestart.optional(),
  'deny-inter-vrf-static': z.boolean().default(false),
  retain: z.enum(['all', 'imported-only']).default('all'),
  labels: z
    .strictObject({
      range: z
        .tuple([int(16, 1048575), int(16, 1048575)])
        .refine(([lo, hi]) => lo <= hi, {
          message: 'labels.range must be [min, max] with min <= max',
        })
        .default([16, 1048575]),
    })
    .prefault({}),
  neighbors: z.array(neighborSchema).default([]),
  /** Default-table networks. */
  networks: z.array(network).default([]),
  /** Default-table static routes (their next hop may resolve in a VRF). */
  'static-routes': z.array(staticRoute).default([]),
  policy: policySchema.prefault({}),
  vrfs: named(vrfSchema).default({}),
  /** MRT table dumps and message logs (RFC 6396): src/config/schema-mrt.ts. */
  mrt: mrtSchema.optional(),
  fib: fibSchema,
  bmp: bmpSchema,
});

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type NeighborConfig = Config['neighbors'][number];
export type VrfConfig = z.output<typeof vrfSchema>;
export type NetworkConfig = VrfConfig['networks'][number];
export type StaticRouteConfig = VrfConfig['static-routes'][number];
export type InterfaceConfig = VrfConfig['interfaces'][number];
export type PolicyConfig = Config['policy'];
export type PrefixListEntry = PolicyConfig['prefix-lists'][string][number];
export type RouteMapEntry = PolicyConfig['route-maps'][string][number];
export type FamilyConfigName = (typeof FAMILY_NAMES)[number];

/** The name of the global table wherever a VRF name is expected. */
export const DEFAULT_TABLE = 'default';
