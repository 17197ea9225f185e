// src/model/proto-literal.ts: objects made by a plain literal compiled in a context of its own, whose
// prototype carries a class's members. What the routes made so (model/route.ts SharedRoute) rely on.

import { describe, expect, it } from 'vitest';
import { EMPTY_ATTR_VALUES } from '../../src/model/attrset.js';
import { protoLiteral } from '../../src/model/proto-literal.js';
import { keyLabels, receivedRoute, staleCopy } from '../../src/model/route.js';
import { type RouteOrigin } from '../../src/model/route-origin.js';
import { AttrInterner } from '../../src/rib/intern.js';
import { nlriKey } from '../../src/rib/keys.js';
import type { VpnNlri } from '../../src/wire/types.js';

class Base {
  declare readonly a: number;
  get twice(): number {
    return this.a * 2;
  }
  name(): string {
    return 'base';
  }
  toString(): string {
    return `Base(${this.a})`;
  }
}

class Derived extends Base {
  declare readonly b: string;
  override name(): string {
    return `derived ${this.b}`;
  }
}

describe('protoLiteral', () => {
  const { make, proto } = protoLiteral<(a: number, b: string) => Derived>(Derived, ['a', 'b']);

  it('makes objects with the fields given and the class chain`s members, the nearest winning', () => {
    const x = make(21, 'x');
    expect(Object.keys(x)).toEqual(['a', 'b']);
    expect(x.a).toBe(21);
    expect(x.twice).toBe(42);
    expect(x.name()).toBe('derived x');
    expect(String(x)).toBe('Base(21)');
    expect(x.constructor).toBe(Derived);
  });

  it('gives every object the one prototype, not the class`s (instanceof is false)', () => {
    const x = make(1, 'a');
    const y = make(2, 'b');
    expect(Object.getPrototypeOf(x)).toBe(proto);
    expect(Object.getPrototypeOf(y)).toBe(proto);
    expect(x instanceof Derived).toBe(false);
    expect(Object.getPrototypeOf(proto)).toBeNull();
  });

  it('leaves this context`s Object.prototype alone, and a second maker has a prototype of its own', () => {
    expect(({} as { twice?: number }).twice).toBeUndefined();
    const other = protoLiteral<(a: number) => Base>(Base, ['a']);
    expect(other.proto).not.toBe(proto);
    expect(other.make(3).name()).toBe('base');
    expect(make(3, 'c').name()).toBe('derived c');
  });

  it('takes only identifiers as field names (they are written into the literal`s source)', () => {
    expect(() => protoLiteral(Base, ['a', 'b }); globalThis.x = ({'])).toThrow(/bad field name/);
  });
});

describe('routes made by a proto literal (model/route.ts)', () => {
  const origin: RouteOrigin = { kind: 'local', source: 'local' };
  const attrs = new AttrInterner().intern(EMPTY_ATTR_VALUES);
  const n: VpnNlri = {
    kind: 'vpn',
    labels: [(16 << 4) | 1],
    rd: { hi: 65001, lo: 7 },
    prefix: { afi: 1, len: 24, addr: 0x0a000100 },
  };

  it('are recognised as the routes whose NLRI is their key (labels, stale copies)', () => {
    const r = receivedRoute(nlriKey(n), n, attrs, origin, 3, 0, 9);
    expect(keyLabels(r)).toEqual(n.labels);
    const stale = staleCopy(r);
    expect(stale.stale).toBe(true);
    expect(stale.nlri).toEqual(n);
    expect(stale.key).toBe(r.key);
    expect(stale.seq).toBe(9);
  });
});
