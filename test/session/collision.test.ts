import { describe, expect, it } from 'vitest';
import { resolveCollision, survivingDirection } from '../../src/session/collision.js';
import type { CollisionInput } from '../../src/session/collision.js';
import { step } from '../../src/session/fsm.js';
import { open } from './helpers.js';

const LOW = 0x0a000001; // 10.0.0.1
const HIGH = 0xc0000201; // 192.0.2.1: negative as a signed 32-bit number

function input(over: Partial<CollisionInput>): CollisionInput {
  return {
    localBgpId: LOW,
    remoteBgpId: HIGH,
    existing: { state: 'OpenConfirm', direction: 'outbound' },
    arriving: { direction: 'inbound' },
    ...over,
  };
}

describe('RFC 4271 §6.8 collision resolution', () => {
  it('the connection opened by the higher identifier survives', () => {
    expect(survivingDirection(LOW, HIGH)).toBe('inbound');
    expect(survivingDirection(HIGH, LOW)).toBe('outbound');
  });
  it('compares identifiers as unsigned 32-bit numbers', () => {
    // 192.0.2.1 as a signed int is negative; it must still be the higher one.
    expect(survivingDirection(HIGH | 0, LOW)).toBe('outbound');
    expect(survivingDirection(LOW, HIGH | 0)).toBe('inbound');
  });
  it('local lower: our outbound connection in OpenConfirm is closed', () => {
    expect(resolveCollision(input({}))).toEqual({ close: 'existing' });
  });
  it('local higher: the arriving inbound connection is closed', () => {
    expect(resolveCollision(input({ localBgpId: HIGH, remoteBgpId: LOW }))).toEqual({
      close: 'arriving',
    });
  });
  it('works with the directions the other way round', () => {
    const other = {
      existing: { state: 'OpenSent', direction: 'inbound' },
      arriving: { direction: 'outbound' },
    } as const;
    // We are higher: keep our outbound (arriving), close the inbound (existing).
    expect(resolveCollision(input({ ...other, localBgpId: HIGH, remoteBgpId: LOW }))).toEqual({
      close: 'existing',
    });
    expect(resolveCollision(input(other))).toEqual({ close: 'arriving' });
  });
  it('equal identifiers: the larger AS wins (RFC 6286 §2.3)', () => {
    const same = { localBgpId: LOW, remoteBgpId: LOW };
    expect(resolveCollision(input({ ...same, localAs: 65000, remoteAs: 65001 }))).toEqual({
      close: 'existing',
    });
    expect(resolveCollision(input({ ...same, localAs: 65002, remoteAs: 65001 }))).toEqual({
      close: 'arriving',
    });
  });
  it('no collision while the other connection has not sent an OPEN', () => {
    for (const state of ['Idle', 'Connect', 'Active'] as const) {
      expect(resolveCollision(input({ existing: { state, direction: 'outbound' } }))).toEqual({
        close: 'none',
      });
    }
  });
  it('Established: the new connection is closed, whatever the identifiers', () => {
    const est = { state: 'Established', direction: 'outbound' } as const;
    expect(resolveCollision(input({ existing: est }))).toEqual({ close: 'arriving' });
    expect(resolveCollision(input({ existing: est, collisionDetectEstablished: true }))).toEqual({
      close: 'existing',
    });
  });
  it('Established with a GR helper: the old session goes, gracefully (RFC 4724 §4.2)', () => {
    const est = { state: 'Established', direction: 'inbound' } as const;
    expect(resolveCollision(input({ existing: est, gracefulRestartHelper: true }))).toEqual({
      close: 'existing',
      graceful: true,
    });
  });
  it('the loser FSM sends Cease 6/7', () => {
    const cfg = { localOpen: open([]), checkOpen: () => undefined };
    const s = {
      name: 'OpenConfirm',
      connectRetryCounter: 0,
      passive: false,
      delayOpenRunning: false,
    } as const;
    const r = step(s, { type: 'OpenCollisionDump' }, cfg);
    expect(r.actions[0]).toEqual({
      kind: 'send-notification',
      code: 6,
      subcode: 7,
      data: new Uint8Array(0),
    });
  });
});
