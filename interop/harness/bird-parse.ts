// Reading BIRD 2.0's text answers. birdc has no JSON: `show route ... all` prints one header line
// per route (network, destination kind, [protocol since from], primary mark, preference, AS-path
// summary), then tab-indented next hops and attributes; `show protocols` prints a fixed-column
// table. These parsers turn both into values a scenario can assert on, and refuse (throw on) a
// line they do not understand rather than dropping it, so a BIRD upgrade that changes the format
// fails loudly instead of making routes silently disappear from the parsed answer.

export interface BirdNextHop {
  /** The gateway (`via ADDR`); undefined for `dev IFACE` next hops. */
  readonly via: string | undefined;
  readonly iface: string | undefined;
  /** The MPLS labels pushed towards this next hop (`mpls 100/200`), outermost first. */
  readonly labels: readonly number[];
  readonly onlink: boolean;
}

export interface BirdRoute {
  readonly table: string;
  /** The network as BIRD prints it: `10.1.0.0/24`, or `RD prefix` in a VPN table. */
  readonly network: string;
  /** The route distinguisher of a VPN network (`65001:10`, `10.0.0.1:5`), else undefined. */
  readonly rd: string | undefined;
  readonly prefix: string;
  /** `unicast`, `unreachable` (BGP routes whose next hop does not resolve), `blackhole`, ... */
  readonly dest: string;
  readonly protocol: string;
  /** The BGP neighbor the route came from (`from ADDR`), for BGP routes. */
  readonly from: string | undefined;
  /** The `*` mark: the table's best route for the network. */
  readonly primary: boolean;
  readonly preference: number;
  readonly nextHops: readonly BirdNextHop[];
  /** `Type:` line, e.g. `BGP univ`, `static univ`. */
  readonly type: string | undefined;
  /** Every `Name: value` attribute line, keyed by name (`BGP.next_hop`, `BGP.as_path`, ...). */
  readonly attrs: Readonly<Record<string, string>>;
}

const DESTS = 'unicast|unreachable|blackhole|prohibited|multicast';
// NETWORK? DEST [PROTO SINCE( from ADDR)?] *? (PREF(/METRIC)?) ([AS-PATH SUMMARY])?
const HEADER = new RegExp(
  `^(\\S+(?: \\S+)?)?\\s+(${DESTS}) \\[(\\S+) ([^\\]]*?)(?: from (\\S+))?\\](?: (\\*))? \\((\\d+)(?:/[^)]*)?\\)(?: \\[(.*)\\])?\\s*$`,
);
const VIA = /^via (\S+)(?: on (\S+))?(?: mpls ([\d/]+))?((?: \w+(?: \d+)?)*)\s*$/;
const DEV = /^dev (\S+)(?: mpls ([\d/]+))?((?: \w+(?: \d+)?)*)\s*$/;
const ATTR = /^([A-Za-z][\w.]*): ?(.*)$/;

interface Building {
  head: Omit<BirdRoute, 'nextHops' | 'type' | 'attrs'>;
  nextHops: BirdNextHop[];
  type: string | undefined;
  attrs: Record<string, string>;
}

/** Parses `show route [...] all` output (with or without the `BIRD x.y ready.` banner). */
export function parseBirdRoutes(text: string): BirdRoute[] {
  const out: BirdRoute[] = [];
  let table = '';
  let network: string | undefined;
  let cur: Building | undefined;
  const flush = (): void => {
    if (cur !== undefined) {
      out.push({ ...cur.head, nextHops: cur.nextHops, type: cur.type, attrs: cur.attrs });
    }
    cur = undefined;
  };
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || /^BIRD \S+ ready\.$/.test(line)) continue;
    // `show route PREFIX` for a network the table does not hold.
    if (line === 'Network not found') continue;
    const t = /^Table (\S+):$/.exec(line);
    if (t) {
      flush();
      table = t[1] ?? '';
      network = undefined;
      continue;
    }
    if (line.startsWith('\t')) {
      if (cur === undefined) throw new BirdParseError(i, line, 'a detail line before any route');
      addDetail(cur, line.slice(1), i);
      continue;
    }
    const h = HEADER.exec(line);
    if (!h) throw new BirdParseError(i, line, 'not a route header');
    flush();
    // A network's second and later routes leave the network column blank.
    network = h[1] ?? network;
    if (network === undefined) throw new BirdParseError(i, line, 'a route without a network');
    const words = network.split(' ');
    cur = {
      head: {
        table,
        network,
        rd: words.length === 2 ? words[0] : undefined,
        prefix: words[words.length - 1] ?? network,
        dest: h[2] ?? '',
        protocol: h[3] ?? '',
        from: h[5],
        primary: h[6] === '*',
        preference: Number(h[7]),
      },
      nextHops: [],
      type: undefined,
      attrs: {},
    };
  }
  flush();
  return out;
}

function addDetail(cur: Building, line: string, i: number): void {
  const via = VIA.exec(line);
  if (via) {
    cur.nextHops.push({
      via: via[1],
      iface: via[2],
      labels: labelsOf(via[3]),
      onlink: /\bonlink\b/.test(via[4] ?? ''),
    });
    return;
  }
  const dev = DEV.exec(line);
  if (dev) {
    const onlink = /\bonlink\b/.test(dev[3] ?? '');
    cur.nextHops.push({ via: undefined, iface: dev[1], labels: labelsOf(dev[2]), onlink });
    return;
  }
  const a = ATTR.exec(line);
  if (!a) throw new BirdParseError(i, line, 'neither a next hop nor an attribute');
  const [, name = '', value = ''] = a;
  if (name === 'Type') cur.type = value;
  else cur.attrs[name] = value;
}

function labelsOf(stack: string | undefined): number[] {
  return stack === undefined ? [] : stack.split('/').map(Number);
}

export class BirdParseError extends Error {
  constructor(index: number, line: string, why: string) {
    super(`birdc output line ${index + 1}: ${why}: ${JSON.stringify(line)}`);
    this.name = 'BirdParseError';
  }
}

/** A BGP route's attributes as values (BIRD prints them as text). */
export interface BirdBgpView {
  readonly nextHop: string | undefined;
  /** `BGP.as_path`, as numbers (an AS_SET's braces are dropped). */
  readonly asPath: readonly number[];
  readonly localPref: number | undefined;
  readonly med: number | undefined;
  readonly origin: string | undefined;
  /** Route targets (`rt` extended communities) as `ADMIN:ASSIGNED`, in BIRD's order. */
  readonly routeTargets: readonly string[];
  /** Every extended community as `kind:ADMIN:ASSIGNED` (`rt:65001:10`, `ro:...`). */
  readonly extCommunities: readonly string[];
  readonly communities: readonly string[];
  /** `BGP.mpls_label_stack`: the labels the route was received with. */
  readonly labels: readonly number[];
  readonly originatorId: string | undefined;
  readonly clusterList: readonly string[];
}

export function bgpView(r: BirdRoute): BirdBgpView {
  const a = r.attrs;
  const num = (k: string): number | undefined => (a[k] === undefined ? undefined : Number(a[k]));
  const words = (k: string): string[] => (a[k] ?? '').split(/\s+/).filter((w) => w !== '');
  const ext = [...(a['BGP.ext_community'] ?? '').matchAll(/\((\w+), ([^,)]+), ([^)]+)\)/g)].map(
    (m) => `${m[1]}:${m[2]}:${m[3]}`,
  );
  return {
    nextHop: words('BGP.next_hop')[0],
    asPath: words('BGP.as_path')
      .map((w) => w.replace(/[{}]/g, ''))
      .filter((w) => w !== '')
      .map(Number),
    localPref: num('BGP.local_pref'),
    med: num('BGP.med'),
    origin: a['BGP.origin'],
    routeTargets: ext.filter((e) => e.startsWith('rt:')).map((e) => e.slice(3)),
    extCommunities: ext,
    communities: [...(a['BGP.community'] ?? '').matchAll(/\((\d+),(\d+)\)/g)].map(
      (m) => `${m[1]}:${m[2]}`,
    ),
    labels: words('BGP.mpls_label_stack')
      .flatMap((w) => w.split('/'))
      .map(Number),
    originatorId: a['BGP.originator_id'],
    clusterList: words('BGP.cluster_list'),
  };
}

export interface BirdProtocol {
  readonly name: string;
  readonly proto: string;
  readonly table: string;
  /** `up`, `down`, `start`, ... */
  readonly state: string;
  readonly since: string;
  /** For BGP the session state (`Established`, `Active`, `Connect`, ...) and any error. */
  readonly info: string;
}

/** Parses `show protocols` output. */
export function parseBirdProtocols(text: string): BirdProtocol[] {
  const out: BirdProtocol[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '' || /^BIRD \S+ ready\.$/.test(line) || /^Name\s+Proto/.test(line)) {
      continue;
    }
    // Name Proto Table State Since(date and time, or time) Info...
    const m = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+(?: \d\d:\d\d:\d\d(?:\.\d+)?)?)\s*(.*)$/.exec(
      line,
    );
    if (!m) throw new BirdParseError(i, line, 'not a protocol line');
    const [, name = '', proto = '', table = '', state = '', since = '', info = ''] = m;
    out.push({ name, proto, table, state, since, info: info.trim() });
  }
  return out;
}
