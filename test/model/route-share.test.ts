// The parts a route share keeps once for every share (src/model/route-share.ts): a one-label
// stack by its label, the RD part of a VPNv4 key. Shares made from the arrays of two UPDATEs
// (each decoded on its own) keep one array, and a share is found again for the second UPDATE's
// routes when nothing else differs. (That the head is one string per RD is not observable from
// JavaScript; bench/heap-by-type.ts counts the strings.)

import { describe, expect, it } from 'vitest';
import { EMPTY_ATTR_VALUES } from '../../src/model/attrset.js';
import { shareOf } from '../../src/model/route-share.js';
import { AttrInterner } from '../../src/rib/intern.js';
import { headOf } from '../../src/model/v4-key-code.js';
import { vpnv4Key } from '../rib/vpnv4-maps.js';

const LABEL = (17 << 4) | 1;

/** A VPNv4 /24 key of RD 65000:rd, as the table keys it. */
const key = (rd: number, addr: number): string => vpnv4Key(24, addr, rd);

describe('route shares', () => {
  const attrs = new AttrInterner().intern(EMPTY_ATTR_VALUES);

  it('keep one array for a one-label stack decoded twice', () => {
    const a = shareOf('vpnv4', [LABEL], attrs, 'o1', 1, key(1, 0x0a000000));
    const b = shareOf('vpnv4', [LABEL], attrs, 'o2', 1, key(1, 0x0a000100));
    expect(a).not.toBe(b);
    expect(b.labels).toBe(a.labels);
    expect(a.labels).toEqual([LABEL]);
    expect(Object.isFrozen(a.labels)).toBe(true);
  });

  it('find the share again for an equal stack of another array', () => {
    const a = shareOf('vpnv4', [LABEL], attrs, 'o3', 1, key(2, 0x0a000000));
    expect(shareOf('vpnv4', [LABEL], attrs, 'o3', 1, key(2, 0x0a000100))).toBe(a);
  });

  it('keep a longer stack as it came', () => {
    const stack = [16 << 4, (18 << 4) | 1];
    const a = shareOf('vpnv4', stack, attrs, 'o4', 1, key(3, 0x0a000000));
    expect(a.labels).toBe(stack);
  });

  it('keep the RD part of the key as the head (one string per RD, which strings do not show)', () => {
    const a = shareOf('vpnv4', [LABEL], attrs, 'o5', 1, key(4, 0x0a000000));
    const b = shareOf('vpnv4', [LABEL], attrs, 'o6', 1, key(4, 0x0a000100));
    expect(a.head).toBe(headOf(key(4, 0)));
    expect(b.head).toBe(a.head);
    expect(shareOf('vpnv4', [LABEL], attrs, 'o7', 1, key(5, 0x0a000000)).head).toBe(
      headOf(key(5, 0)),
    );
  });
});
