// The IPv4 -> IPv6 map of the IPv6 parity tests: a.b.c.d/len -> 2001:db8:AB:CD::/(32+len), where
// AB = a*256+b and CD = c*256+d; 0.0.0.0/0 -> ::/0. It keeps containment (a prefix contains
// another after the map exactly when it did before) and longest-match order, so a leak pattern
// written for IPv4 means the same thing mapped.

/** RFC 5952 text of eight 16-bit groups (the longest run of two or more zero groups as ::). */
function v6Text(g: readonly number[]): string {
  let best = { at: -1, len: 1 };
  for (let i = 0; i < g.length;) {
    let j = i;
    while (j < g.length && g[j] === 0) j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.len).join(':')}`;
}

/** a.b.c.d -> 2001:db8:AB:CD:: */
export function mapAddress(a4: string): string {
  const [a = 0, b = 0, c = 0, d = 0] = a4.split('.').map(Number);
  return v6Text([0x2001, 0xdb8, a * 256 + b, c * 256 + d, 0, 0, 0, 0]);
}

/** a.b.c.d/len -> 2001:db8:AB:CD::/(32+len); the default route stays the default route. */
export function mapPrefix(p4: string): string {
  const [addr = '', len = '32'] = p4.split('/');
  return Number(len) === 0 ? '::/0' : `${mapAddress(addr)}/${32 + Number(len)}`;
}
