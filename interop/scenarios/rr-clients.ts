// vrfleak as the route reflector of two GoBGP clients in its own AS (65000), each on an address of
// the scenario's block, sessions up when this returns: the setup of the scenarios that look at
// what a reflected route carries (cluster-id, labeled unicast).

import { Speaker } from '../../src/api/library.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { startGobgp, type Family, type GobgpHandle, type Scenario } from '../harness/index.js';

type Neighbor = NonNullable<ConfigInput['neighbors']>[number];

export interface RrClients {
  readonly ip: { readonly vrfleak: string; readonly a: string; readonly b: string };
  readonly a: GobgpHandle;
  readonly b: GobgpHandle;
  readonly speaker: Speaker;
}

export async function startRrClients(
  sc: Scenario,
  family: Extract<Family, 'ipv4' | 'ipv4-labeled'>,
  /** Top-level keys of vrfleak's config, and keys of client b's neighbor entry. */
  extra: { readonly config?: Partial<ConfigInput>; readonly clientB?: Partial<Neighbor> } = {},
): Promise<RrClients> {
  const ip = { vrfleak: sc.nextAddress(), a: sc.nextAddress(), b: sc.nextAddress() };
  const gobgp = (name: 'a' | 'b') =>
    startGobgp({
      name: `gobgp-${name}`,
      parentDir: sc.dir,
      asn: 65000,
      routerId: ip[name],
      address: ip[name],
      neighbors: [{ address: ip.vrfleak, asn: 65000, families: [family] }],
    });
  const [a, b] = await Promise.all([gobgp('a'), gobgp('b')]);
  const client = (address: string) => ({
    address,
    asn: 65000,
    families: [family],
    'connect-retry': 1,
    'route-reflector-client': true,
  });
  const speaker = await Speaker.start({
    asn: 65000,
    'router-id': ip.vrfleak,
    listen: { address: ip.vrfleak, port: 179 },
    ...extra.config,
    neighbors: [client(ip.a), { ...client(ip.b), ...extra.clientB }],
  });
  await a.waitEstablished(ip.vrfleak);
  await b.waitEstablished(ip.vrfleak);
  return { ip, a, b, speaker };
}
