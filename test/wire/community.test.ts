import { describe, expect, it } from 'vitest';
import {
  communityFromText,
  formatCommunity,
  formatLargeCommunity,
  largeCommunityFromText,
} from '../../src/wire/community.js';
import { WireError } from '../../src/wire/errors.js';

describe('communities', () => {
  it('high:low', () => {
    expect(communityFromText('65000:1')).toBe(0xfde80001);
    expect(communityFromText('0:0')).toBe(0);
    expect(formatCommunity(0xfde80001)).toBe('65000:1');
    expect(formatCommunity(0x00010002)).toBe('1:2');
  });

  it('well-known names, both ways (IANA registry values)', () => {
    const table: [string, number][] = [
      ['graceful-shutdown', 0xffff0000],
      ['accept-own', 0xffff0001],
      ['llgr-stale', 0xffff0006],
      ['no-llgr', 0xffff0007],
      ['blackhole', 0xffff029a],
      ['no-export', 0xffffff01],
      ['no-advertise', 0xffffff02],
      ['no-export-subconfed', 0xffffff03],
      ['no-peer', 0xffffff04],
    ];
    for (const [name, v] of table) {
      expect(communityFromText(name)).toBe(v);
      expect(formatCommunity(v)).toBe(name);
    }
    expect(communityFromText('local-AS')).toBe(0xffffff03);
    expect(communityFromText('NO-EXPORT')).toBe(0xffffff01);
    // a value in the reserved range without a name prints numerically
    expect(formatCommunity(0xffff0002)).toBe('65535:2');
  });

  it('rejects bad text', () => {
    for (const t of ['65536:1', '1:65536', '1', '1:2:3', 'a:b', '-1:2', 'no-such']) {
      expect(() => communityFromText(t), t).toThrow(WireError);
    }
  });
});

describe('large communities', () => {
  it('global:local1:local2 both ways', () => {
    expect(largeCommunityFromText('4200000000:1:2')).toEqual({
      global: 4200000000,
      local1: 1,
      local2: 2,
    });
    expect(formatLargeCommunity({ global: 65000, local1: 4294967295, local2: 0 })).toBe(
      '65000:4294967295:0',
    );
  });

  it('rejects bad text', () => {
    for (const t of ['1:2', '1:2:3:4', '4294967296:1:1', 'x:1:1']) {
      expect(() => largeCommunityFromText(t), t).toThrow(WireError);
    }
  });
});
