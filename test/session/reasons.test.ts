import { describe, expect, it } from 'vitest';
import type { DownReason } from '../../src/session/reasons.js';
import {
  ceaseFor,
  describeReason,
  notificationReceived,
  retainsRoutes,
} from '../../src/session/reasons.js';

describe('down reasons', () => {
  it('every kind has a text', () => {
    const all: DownReason[] = [
      { kind: 'hold-timer-expired' },
      notificationReceived(6, 2),
      { kind: 'notification-sent', code: 4, subcode: 0 },
      { kind: 'tcp-failed', detail: 'ECONNREFUSED' },
      { kind: 'tcp-closed-by-peer' },
      { kind: 'admin-stop' },
      { kind: 'collision-lost' },
      { kind: 'open-error', code: 2, subcode: 2 },
      { kind: 'update-error', action: 'session-reset', code: 3, subcode: 1 },
      { kind: 'max-prefix', afi: 1, safi: 128, limit: 100 },
      { kind: 'deconfigured' },
      { kind: 'graceful-restart', restarting: 'remote' },
      { kind: 'fsm-error', state: 'OpenSent', event: 'UpdateMsg' },
    ];
    const texts = all.map(describeReason);
    expect(new Set(texts).size).toBe(all.length);
    expect(texts[3]).toBe('TCP connection failed: ECONNREFUSED');
    expect(texts[9]).toBe('maximum prefixes reached for AFI 1 SAFI 128 (limit 100)');
  });
  it('a received NOTIFICATION is named', () => {
    const r = notificationReceived(6, 2);
    expect(r).toEqual({
      kind: 'notification-received',
      code: 6,
      subcode: 2,
      name: expect.stringMatching(/Administrative Shutdown/),
    });
  });
  it('Cease subcodes for administrative reasons (RFC 4486 §4)', () => {
    expect(ceaseFor({ kind: 'admin-stop' })).toMatchObject({ code: 6, subcode: 2 });
    expect(ceaseFor({ kind: 'deconfigured' })).toMatchObject({ code: 6, subcode: 3 });
    expect(ceaseFor({ kind: 'collision-lost' })).toMatchObject({ code: 6, subcode: 7 });
    const mp = ceaseFor({ kind: 'max-prefix', afi: 2, safi: 128, limit: 70000 });
    // 0002 AFI IPv6, 80 SAFI 128, 00011170 = 70000
    expect(Buffer.from(mp.data).toString('hex')).toBe('0002' + '80' + '00011170');
  });
  it('GR retention: TCP loss and hold timer; NOTIFICATIONs only with N, never Hard Reset', () => {
    const withN = { notification: true };
    const withoutN = { notification: false };
    expect(retainsRoutes({ kind: 'tcp-closed-by-peer' }, undefined)).toBe(false);
    expect(retainsRoutes({ kind: 'tcp-closed-by-peer' }, withoutN)).toBe(true);
    expect(retainsRoutes({ kind: 'hold-timer-expired' }, withoutN)).toBe(true);
    expect(retainsRoutes(notificationReceived(6, 2), withoutN)).toBe(false);
    expect(retainsRoutes(notificationReceived(6, 2), withN)).toBe(true);
    expect(retainsRoutes(notificationReceived(6, 9), withN)).toBe(false);
    expect(retainsRoutes({ kind: 'admin-stop' }, withN)).toBe(false);
  });
});
