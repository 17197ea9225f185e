// The malformed-input cases whose RFC reaction is a session reset (malformed-input.md cases 1-7, 8
// without NLRI, 9 for MP attributes, 10 for an unknown well-known attribute, 21-23, Enhanced
// Route Refresh lengths, max-prefix) and GoBGP's malformed scenarios #1 and #5. Each case opens
// its own injector session to vrfleak (it retries while vrfleak sits in IdleHold after the last
// reset), sends the bytes, and reads the NOTIFICATION from its own socket. GoBGP's session and
// route must stay untouched throughout.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertPeersOrFail } from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';
import {
  ASPATH_EBGP,
  attr,
  body,
  expectBystanderUntouched,
  NH_192_0_2_1,
  ORIGIN_IGP,
  startBench,
  v4,
  type Bench,
} from './fixture.js';
import { frame, hex, Injector } from './injector.js';

const FF16 = 'ff'.repeat(16);
/** MP_REACH VPNv4 of 10.1.0.0/24, RD 65002:7, label 100, next hop RD 0 + 192.0.2.1. */
const MP_VPN = attr(
  0x80,
  14,
  '0001 80 0c 0000000000000000 c0000201 00 70 000641 0000fdea00000007 0a0100',
);
/** Our capabilities in an OPEN: MP IPv4 unicast (02 06 01 04 0001 00 01), 4-octet AS 65002. */
const CAPS = '02 06 01 04 0001 0001 02 06 41 04 0000fdea';
const open = (version: string, myAs: string, hold: string, id: string, params: string): Buffer => {
  const p = hex(params);
  return frame(1, Buffer.concat([hex(version + myAs + hold + id), Buffer.of(p.length), p]));
};

export interface ResetCase {
  readonly name: string;
  /** 'open': sent instead of our OPEN; 'established': sent once the session is up. */
  readonly phase: 'open' | 'established';
  readonly bytes: Buffer;
  readonly code: number;
  readonly subcode: number;
  /** The NOTIFICATION data as hex, when the RFC fixes it. */
  readonly data?: string;
}

const upd = (b: string): Buffer => frame(2, b);

export const CASES: ResetCase[] = [
  {
    name: 'case 1: marker not all ones',
    phase: 'established',
    bytes: hex(`00${'ff'.repeat(15)} 0013 04`),
    code: 1,
    subcode: 1,
  },
  {
    name: 'case 2: length 18',
    phase: 'established',
    bytes: hex(`${FF16} 0012 04`),
    code: 1,
    subcode: 2,
    data: '0012',
  },
  {
    name: 'case 2: length 4097 without extended messages',
    phase: 'established',
    bytes: hex(`${FF16} 1001 02 ${'00'.repeat(64)}`),
    code: 1,
    subcode: 2,
    data: '1001',
  },
  {
    name: 'case 2: KEEPALIVE of 20 octets',
    phase: 'established',
    bytes: hex(`${FF16} 0014 04 00`),
    code: 1,
    subcode: 2,
    data: '0014',
  },
  {
    name: 'case 2: UPDATE of 22 octets (minimum 23)',
    phase: 'established',
    bytes: hex(`${FF16} 0016 02 000000`),
    code: 1,
    subcode: 2,
    data: '0016',
  },
  {
    name: 'case 2: OPEN of 28 octets (minimum 29)',
    phase: 'open',
    bytes: hex(`${FF16} 001c 01 04 fdea 005a 7f000003 00`.slice(0, -2)),
    code: 1,
    subcode: 2,
    data: '001c',
  },
  {
    name: 'case 3: message type 9',
    phase: 'established',
    bytes: hex(`${FF16} 0013 09`),
    code: 1,
    subcode: 3,
    data: '09',
  },
  // OPEN: version 04, AS fdea, hold 005a, id 7f000003, opt len, params.
  {
    name: 'case 4: optional parameter runs past the OPEN',
    phase: 'open',
    bytes: frame(1, '04 fdea 005a 7f000003 08 02 0a 01040001 0001'),
    code: 2,
    subcode: 0,
  },
  {
    name: 'case 4: OPEN ends on a parameter type octet',
    phase: 'open',
    bytes: frame(1, '04 fdea 005a 7f000003 01 02'),
    code: 2,
    subcode: 0,
  },
  {
    name: 'case 4: RFC 9072 extended parameters with a bad length',
    phase: 'open',
    bytes: frame(1, '04 fdea 005a 7f000003 ff ff 0010 02 0006 01040001 0001'),
    code: 2,
    subcode: 0,
  },
  {
    name: 'case 5: version 3',
    phase: 'open',
    bytes: open('03', 'fdea', '005a', '7f000003', CAPS),
    code: 2,
    subcode: 1,
    // RFC 4271 §6.2: a 2-octet version number.
    data: '0004',
  },
  {
    name: 'case 5: peer AS 65003, configured 65002',
    phase: 'open',
    bytes: open('04', 'fdeb', '005a', '7f000003', '02 06 01 04 0001 0001 02 06 41 04 0000fdeb'),
    code: 2,
    subcode: 2,
  },
  {
    name: 'case 5: My AS 0',
    phase: 'open',
    bytes: open('04', '0000', '005a', '7f000003', '02 06 01 04 0001 0001'),
    code: 2,
    subcode: 2,
  },
  {
    name: 'case 5: AS 0 in the 4-octet AS capability',
    phase: 'open',
    bytes: open('04', 'fdea', '005a', '7f000003', '02 06 01 04 0001 0001 02 06 41 04 00000000'),
    code: 2,
    subcode: 2,
  },
  {
    name: 'case 5: hold time 2',
    phase: 'open',
    bytes: open('04', 'fdea', '0002', '7f000003', CAPS),
    code: 2,
    subcode: 6,
  },
  {
    name: 'case 5: BGP Identifier 0',
    phase: 'open',
    bytes: open('04', 'fdea', '005a', '00000000', CAPS),
    code: 2,
    subcode: 3,
  },
  {
    name: 'case 7: attribute length past the message',
    phase: 'established',
    bytes: upd('0000 00ff 400101 00'),
    code: 3,
    subcode: 1,
  },
  {
    name: 'case 8: attribute overrun with no NLRI',
    phase: 'established',
    bytes: upd(body([ORIGIN_IGP, ASPATH_EBGP, '800408 000000'])),
    code: 3,
    subcode: 1,
  },
  {
    name: 'case 9: duplicate MP_REACH_NLRI',
    phase: 'established',
    bytes: upd(body([ORIGIN_IGP, ASPATH_EBGP, MP_VPN, MP_VPN])),
    code: 3,
    subcode: 1,
  },
  {
    name: 'case 10: unknown well-known attribute (flags 0x40, type 99)',
    phase: 'established',
    bytes: upd(body([ORIGIN_IGP, ASPATH_EBGP, NH_192_0_2_1, '406302 abcd'], v4('10.9.0.0/24'))),
    code: 3,
    subcode: 2,
    data: '406302abcd',
  },
  {
    name: 'case 21: VPNv4 next hop of 16 octets',
    phase: 'established',
    bytes: upd(
      body([
        ORIGIN_IGP,
        ASPATH_EBGP,
        attr(
          0x80,
          14,
          `0001 80 10 ${'00'.repeat(8)}c0000201c0000201 00 70 000641 0000fdea00000007 0a0100`,
        ),
      ]),
    ),
    code: 3,
    subcode: 9,
  },
  {
    name: 'case 21: next hop length runs past MP_REACH',
    phase: 'established',
    bytes: upd(body([ORIGIN_IGP, ASPATH_EBGP, attr(0x80, 14, '0001 80 40 c0000201')])),
    code: 3,
    subcode: 1,
  },
  {
    name: 'case 21: MP_REACH of 4 octets',
    phase: 'established',
    bytes: upd(body([ORIGIN_IGP, ASPATH_EBGP, attr(0x80, 14, '0001 80 0c')])),
    code: 3,
    subcode: 1,
  },
  {
    name: 'case 22: VPNv4 NLRI length 87',
    phase: 'established',
    bytes: upd(
      body([
        ORIGIN_IGP,
        ASPATH_EBGP,
        attr(0x80, 14, '0001 80 0c 0000000000000000 c0000201 00 57 000641 0000fdea00000007'),
      ]),
    ),
    code: 3,
    subcode: 9,
  },
  {
    name: 'case 22: VPNv4 NLRI "0/0" (length 0)',
    phase: 'established',
    bytes: upd(
      body([ORIGIN_IGP, ASPATH_EBGP, attr(0x80, 14, '0001 80 0c 0000000000000000 c0000201 00 00')]),
    ),
    code: 3,
    subcode: 9,
  },
  {
    name: 'case 23: IPv4 NLRI /33',
    phase: 'established',
    bytes: upd(body([ORIGIN_IGP, ASPATH_EBGP, NH_192_0_2_1], '21 0a010203 00')),
    code: 3,
    subcode: 10,
  },
  {
    name: 'case 23: withdrawn routes overrun their field',
    phase: 'established',
    bytes: upd('0003 18 0a01 0000'),
    code: 3,
    subcode: 10,
  },
  {
    name: 'case 23: truncated MP_UNREACH NLRI',
    phase: 'established',
    bytes: upd(body([attr(0x80, 15, '0001 80 70 800000 0000fdea00000007')])),
    code: 3,
    subcode: 9,
  },
  // Enhanced Route Refresh BoRR (subtype 1) with a 5-octet body: AFI 0001, subtype 01, SAFI 01, 00.
  {
    name: 'further: BoRR with a body of 5 octets',
    phase: 'established',
    bytes: frame(5, '0001 01 01 00'),
    code: 7,
    subcode: 1,
  },
  // GoBGP route_server_malformed_test.py #1 and #5: the MP_REACH cannot be parsed (RFC 7606 §7.11).
  {
    name: 'GoBGP #1: MP_REACH flags 0x60, value 11223344 (shorter than 5)',
    phase: 'established',
    bytes: upd(
      body([ORIGIN_IGP, ASPATH_EBGP, NH_192_0_2_1, attr(0x60, 14, '11223344')], v4('10.7.0.17/32')),
    ),
    code: 3,
    subcode: 1,
  },
  {
    name: 'GoBGP #5: MP_REACH AFI 0x0101 with a next hop past the end',
    phase: 'established',
    bytes: upd(
      body(
        [ORIGIN_IGP, ASPATH_EBGP, NH_192_0_2_1, attr(0x60, 14, '010110ffffff0000')],
        v4('10.7.0.17/32'),
      ),
    ),
    code: 3,
    subcode: 1,
  },
];

/**
 * One test file's suite: its own bench, the reset cases `pick` selects, and (with `extras`) the
 * capability and max-prefix cases. Two files split the cases so that they run in parallel: every
 * reset costs vrfleak's IdleHold second before the next session.
 */
export function resetSuite(
  fileUrl: string,
  title: string,
  pick: (c: ResetCase) => boolean,
  extras: boolean,
): void {
  const peers = assertPeersOrFail(['gobgpd']);
  describe.skipIf(peers.skip)(peers.title(title), () => {
    const sc = useScenario(fileUrl);
    let b: Bench;
    beforeAll(async () => {
      b = await startBench(sc);
    }, 60_000);
    afterAll(async () => {
      await b?.speaker.stop();
    });

    for (const c of CASES.filter(pick)) {
      it(c.name, async () => {
        let inj: Injector;
        if (c.phase === 'open') {
          inj = await Injector.openSent(b.ebgp);
          inj.write(c.bytes);
        } else {
          inj = await Injector.establish(b.ebgp);
          inj.write(c.bytes);
        }
        try {
          const n = await inj.expectReset();
          expect({ code: n.code, subcode: n.subcode }).toEqual({
            code: c.code,
            subcode: c.subcode,
          });
          if (c.data !== undefined) expect(n.data).toBe(c.data);
          // Exactly one NOTIFICATION, then the close.
          expect(inj.received.filter((m) => m.type === 3)).toHaveLength(1);
        } finally {
          inj.destroy();
        }
        expectBystanderUntouched(b);
      });
    }

    if (extras)
      it('case 6: capabilities with bad lengths never crash (reset 2/x or ignored)', async () => {
        const bad = [
          '02 05 01 03 000101', // MP capability of 3 octets
          '02 07 47 05 0001010000', // LLGR, 5 octets (not a multiple of 7)
          '02 03 40 01 00', // graceful restart, 1 octet
          '02 02 4b 00', // software version, length 0
          '02 04 4b 02 0a41', // software version, inner length 10 > 1
        ];
        for (const cap of bad) {
          const inj = await Injector.openSent(b.ebgp);
          inj.write(open('04', 'fdea', '005a', '7f000003', `${CAPS} ${cap}`));
          await inj.until(() => inj.closed || (inj.has(1) && inj.has(4)));
          const n = inj.notification;
          if (n) expect(n.code, cap).toBe(2);
          else expect(inj.has(4), cap).toBe(true);
          inj.destroy();
          expectBystanderUntouched(b);
        }
      });

    if (extras)
      it('max-prefix: Cease 6/1 with AFI/SAFI/limit, and nothing after it', async () => {
        const inj = await Injector.establish(b.limited);
        // 3 prefixes over a limit of 2, then a /33 that would be a 3/10 if it were still read.
        inj.write(
          upd(
            body(
              [ORIGIN_IGP, ASPATH_EBGP, NH_192_0_2_1],
              `${v4('10.8.1.0/24')}${v4('10.8.2.0/24')}${v4('10.8.3.0/24')}`,
            ),
          ),
        );
        inj.write(upd(body([ORIGIN_IGP, ASPATH_EBGP, NH_192_0_2_1], '21 0a010203 00')));
        const n = await inj.expectReset();
        expect(n).toEqual({ code: 6, subcode: 1, data: '0001' + '01' + '00000002' });
        expect(inj.received.filter((m) => m.type === 3)).toHaveLength(1);
        inj.destroy();
        expectBystanderUntouched(b);
      });
  });
}
