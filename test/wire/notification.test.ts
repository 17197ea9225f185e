import { describe, expect, it } from 'vitest';
import { notify } from '../../src/wire/errors.js';
import {
  carriesShutdownCommunication,
  decodeHardReset,
  decodeNotification,
  decodeShutdownCommunication,
  encodeHardReset,
  encodeNotification,
  encodeShutdownCommunication,
  notificationName,
} from '../../src/wire/notification.js';
import { Writer } from '../../src/wire/writer.js';

/** Hex groups (whitespace ignored) to bytes; refuses odd or non-hex input. */
function hex(...parts: string[]): Buffer {
  const s = parts.join('').replace(/\s+/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(s)) throw new Error(`bad hex: ${s}`);
  return Buffer.from(s, 'hex');
}

describe('NOTIFICATION body', () => {
  it('decodes and encodes code, subcode, data', () => {
    // Cease (6) / Administrative Shutdown (2), data: length 11, "maintenance"
    const body = hex('06 02', '0b 6d61696e74656e616e6365');
    const msg = decodeNotification(body, 0, body.length);
    expect(msg).toMatchObject({ type: 'notification', code: 6, subcode: 2 });
    expect(Buffer.from(msg.data).toString('hex')).toBe('0b6d61696e74656e616e6365');
    expect(decodeShutdownCommunication(msg.data)).toBe('maintenance');
    const w = new Writer(4);
    encodeNotification(w, msg);
    expect(w.finish().toString('hex')).toBe(body.toString('hex'));
  });
  it('empty data', () => {
    const body = hex('04 00'); // Hold Timer Expired
    const msg = decodeNotification(body, 0, 2);
    expect(msg.data).toHaveLength(0);
    const w = new Writer();
    encodeNotification(w, notify(4, 0));
    expect(w.finish().toString('hex')).toBe('0400');
  });
  it('data is a copy, not a view of the input', () => {
    const body = hex('03 01 aa');
    const msg = decodeNotification(body, 0, 3);
    body[2] = 0;
    expect(msg.data[0]).toBe(0xaa);
  });
});

describe('notificationName', () => {
  it('names codes and subcodes', () => {
    expect(notificationName(3, 11)).toBe('UPDATE Message Error / Malformed AS_PATH');
    expect(notificationName(1, 1)).toBe('Message Header Error / Connection Not Synchronized');
    expect(notificationName(1, 3)).toBe('Message Header Error / Bad Message Type');
    expect(notificationName(2, 0)).toBe('OPEN Message Error / Unspecific');
    expect(notificationName(2, 7)).toBe('OPEN Message Error / Unsupported Capability');
    expect(notificationName(3, 1)).toBe('UPDATE Message Error / Malformed Attribute List');
    expect(notificationName(3, 10)).toBe('UPDATE Message Error / Invalid Network Field');
    expect(notificationName(4, 0)).toBe('Hold Timer Expired');
    expect(notificationName(5, 2)).toBe(
      'Finite State Machine Error / Receive Unexpected Message in OpenConfirm State',
    );
    expect(notificationName(6, 1)).toBe('Cease / Maximum Number of Prefixes Reached');
    expect(notificationName(6, 9)).toBe('Cease / Hard Reset');
    expect(notificationName(7, 1)).toBe('ROUTE-REFRESH Message Error / Invalid Message Length');
  });
  it('falls back to numbers', () => {
    expect(notificationName(6, 42)).toBe('Cease / subcode 42');
    expect(notificationName(99, 1)).toBe('Unknown Error 99 / subcode 1');
  });
});

describe('shutdown communication (RFC 9003)', () => {
  it('applies to Cease 2 and 4 only', () => {
    expect(carriesShutdownCommunication(6, 2)).toBe(true);
    expect(carriesShutdownCommunication(6, 4)).toBe(true);
    expect(carriesShutdownCommunication(6, 3)).toBe(false);
    expect(carriesShutdownCommunication(2, 2)).toBe(false);
  });
  it('decodes UTF-8', () => {
    expect(decodeShutdownCommunication(hex('03 e282ac'))).toBe('€'); // length 3, U+20AC
  });
  it('refuses a length past the data, bad UTF-8, nothing', () => {
    expect(decodeShutdownCommunication(hex('05 61'))).toBeUndefined();
    expect(decodeShutdownCommunication(hex('01 ff'))).toBeUndefined();
    expect(decodeShutdownCommunication(hex('00'))).toBeUndefined();
    expect(decodeShutdownCommunication(new Uint8Array(0))).toBeUndefined();
  });
  it('encodes with a length octet', () => {
    expect(Buffer.from(encodeShutdownCommunication('bye')).toString('hex')).toBe('03627965');
  });
  it('cuts at 255 octets on a character boundary', () => {
    const plain = encodeShutdownCommunication('a'.repeat(300));
    expect(plain[0]).toBe(255);
    expect(plain).toHaveLength(256);
    // 254 ASCII octets then a 3-octet character: it does not fit whole, so it is left out
    const cut = encodeShutdownCommunication('a'.repeat(254) + '€');
    expect(cut[0]).toBe(254);
    expect(decodeShutdownCommunication(cut)).toBe('a'.repeat(254));
  });
});

describe('hard reset (RFC 8538)', () => {
  it('wraps and unwraps the inner notification', () => {
    const inner = notify(6, 2, hex('03 627965'));
    const outer = encodeHardReset(inner);
    expect(outer.code).toBe(6);
    expect(outer.subcode).toBe(9);
    // inner code 6, subcode 2, then its data
    expect(Buffer.from(outer.data).toString('hex')).toBe('0602' + '03627965');
    expect(decodeHardReset(outer.data)).toEqual({
      code: 6,
      subcode: 2,
      data: new Uint8Array(hex('03627965')),
    });
    expect(decodeHardReset(hex('06'))).toBeUndefined();
  });
});
