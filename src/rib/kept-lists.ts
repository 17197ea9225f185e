// Copies of the lists an interned set keeps (AS path segments and their ASNs, communities,
// extended communities, route-target keys), made from array literals of the list's length.
//
// Why literals: V8 keeps an allocation site per array (and object) literal and, once it sees the
// site's arrays survive the young generation, allocates them in the old generation at once. A
// copy made by slice() or map() has no site: each kept list was copied by the scavenger twice
// (to the young generation's other half, then to the old one) before it settled. In the realistic
// table every UPDATE carries a new set (230k at 1M routes), and the sets' lists were a third of
// what survived the scavenges (bench/README.md, "Attribute sets made in the old generation").
// A list longer than the literals here is copied by slice() as before.
//
// One function per element type, so each site's elements kind stays that of its lists (numbers
// as unboxed doubles where a list of objects would box the communities above 2^31).

/** The numbers as a new array (exact size), from a literal of its length up to 8. */
export function keptNumbers(a: readonly number[]): number[] {
  switch (a.length) {
    case 1:
      return [a[0]!];
    case 2:
      return [a[0]!, a[1]!];
    case 3:
      return [a[0]!, a[1]!, a[2]!];
    case 4:
      return [a[0]!, a[1]!, a[2]!, a[3]!];
    case 5:
      return [a[0]!, a[1]!, a[2]!, a[3]!, a[4]!];
    case 6:
      return [a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!];
    case 7:
      return [a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!];
    case 8:
      return [a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!];
    default:
      return a.slice();
  }
}

/** The objects (or strings) as a new array (exact size), from a literal of its length up to 4. */
export function keptObjects<T extends object | string>(a: readonly T[]): T[] {
  switch (a.length) {
    case 1:
      return [a[0]!];
    case 2:
      return [a[0]!, a[1]!];
    case 3:
      return [a[0]!, a[1]!, a[2]!];
    case 4:
      return [a[0]!, a[1]!, a[2]!, a[3]!];
    default:
      return a.slice();
  }
}
