// An UPDATE the decoder refuses ends the session (RFC 7606 §5.3 for NLRI that cannot be parsed);
// the reason logged with session-down carries the decoder's words, so an operator can see why:
// here the RFC 7911 hint for a peer sending path identifiers without add-path negotiated.

import { describe, expect, it } from 'vitest';
import { inboundOf } from '../../src/session/inbound.js';
import { describeReason, reasonForEvent } from '../../src/session/reasons.js';
import { DEFAULT_CONTEXT } from '../../src/wire/context.js';

const h = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** An UPDATE message (header included) with only an MP_REACH_NLRI attribute `mpReach`. */
function updateWithMpReach(mpReach: string): Buffer {
  const attr = h(`90 0e ${h(mpReach).length.toString(16).padStart(4, '0')} ${mpReach}`);
  const body = Buffer.concat([h('0000'), h(attr.length.toString(16).padStart(4, '0')), attr]);
  const len = 19 + body.length;
  return Buffer.concat([h(`${'ff'.repeat(16)} ${len.toString(16).padStart(4, '0')} 02`), body]);
}

describe('an UPDATE refused as a session reset names why in the down reason', () => {
  it('VPNv4 NLRI that start with a path identifier, add-path not negotiated', () => {
    // AFI 1 / SAFI 128, next hop RD 0 + 192.0.2.1, no SNPA, then path id 1 and a VPNv4 /24.
    const nlri = '00000001 70 000641 0000fde80000000a 0a0100';
    const frame = updateWithMpReach(`0001 80 0c 0000000000000000 c0000201 00 ${nlri}`);
    const got = inboundOf(frame, DEFAULT_CONTEXT);
    if (got.kind !== 'event' || got.event.type !== 'UpdateMsgErr') throw new Error('not refused');
    const text = describeReason(reasonForEvent('Established', got.event));
    expect(text).toMatch(/^UPDATE error \(session-reset\): 3\/\d+ /);
    expect(text).toMatch(/path identifier, RFC 7911 §3\? add-path is not negotiated/);
  });
});
