// The JSON views spell extended communities as the codec does, so what `show` prints can be pasted
// into a config or an API request and read back to the same bytes.

import { describe, expect, it } from 'vitest';
import { extCommunityText } from '../../src/daemon/views.js';
import { decodeExtCommunity, parseExtCommunity, rtFromText } from '../../src/wire/ext-community.js';
import type { ExtCommunity } from '../../src/wire/types.js';

describe('views: extended community text', () => {
  const cases: [ExtCommunity, string][] = [
    [rtFromText('65000:1'), 'RT:65000:1'],
    [{ ...rtFromText('65000:1'), transitive: false } as ExtCommunity, 'RT-NT:65000:1'],
    [rtFromText('192.0.2.1:7'), 'RT:192.0.2.1:7'],
    [decodeExtCommunity(Buffer.from('030c000000000008', 'hex'), 0), '0x030c000000000008'],
  ];
  for (const [ec, text] of cases) {
    it(`${text}: printed as the codec prints it and read back to the same value`, () => {
      expect(extCommunityText(ec)).toBe(text);
      expect(parseExtCommunity(extCommunityText(ec))).toEqual(ec);
    });
  }
});
