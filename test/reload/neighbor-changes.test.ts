// Neighbor edits on live sessions: a description changes nothing on the wire, so the session
// stays and nothing is sent; shutdown (which a reload used to ignore) stops it, and clearing it
// starts it again.

import { describe, expect, it } from 'vitest';
import { predictConfig } from '../../src/api/apply.js';
import { asInput, baseConfig, PE1, PEERS, type Cfg } from './model.js';
import { parse, reload, World } from './world.js';

const withPe1 = (f: (n: Cfg) => void): Cfg => {
  const c = baseConfig();
  f((c['neighbors'] as Cfg[]).find((n) => n['address'] === PE1)!);
  return c;
};

describe('neighbor edits on a live session', () => {
  it('a description only: the session stays up and is sent nothing', async () => {
    const running = parse(asInput(baseConfig()));
    const live = await World.start(running, PEERS);
    try {
      const pe1 = live.peers.get(PE1)!;
      expect(pe1.state).toBe('Established');
      const next = parse(asInput(withPe1((n) => (n['description'] = 'PE1 in rack 4'))));
      const sent = await reload(live, running, next);
      expect(sent).toEqual([]);
      expect(live.peers.get(PE1)).toBe(pe1);
      expect(pe1.stoppedWith).toBeUndefined();
      expect(live.daemon.peers.get(PE1)?.opts.description).toBe('PE1 in rack 4');
    } finally {
      await live.stop();
    }
  });

  it('shutdown stops the session and keeps it down; unset, it comes back', async () => {
    const running = parse(asInput(baseConfig()));
    const live = await World.start(running, PEERS);
    try {
      const pe1 = live.peers.get(PE1)!;
      const down = parse(asInput(withPe1((n) => (n['shutdown'] = true))));
      const sent = await reload(live, running, down);
      expect(sent.find((u) => u.address === PE1)?.reset).toBe('deconfigured');
      expect(live.peers.get(PE1)!.state).toBe('Idle');
      expect(live.snapshot().tables['vpnv4']!.join('\n')).not.toMatch(/peer 127\.0\.0\.11/);
      await reload(live, down, running);
      expect(live.peers.get(PE1)).not.toBe(pe1);
      expect(live.peers.get(PE1)!.state).toBe('Established');
      expect(live.snapshot().tables['vpnv4']!.join('\n')).toMatch(/peer 127\.0\.0\.11/);
    } finally {
      await live.stop();
    }
  });

  it('add-path resets the session (the capability is in the OPEN), and dry-run says so', async () => {
    const running = parse(asInput(baseConfig()));
    const live = await World.start(running, PEERS);
    try {
      const pe1 = live.peers.get(PE1)!;
      const next = parse(
        asInput(withPe1((n) => (n['add-path'] = { vpnv4: { receive: true, send: 'all' } }))),
      );
      const predicted = await predictConfig(live.daemon, running, next);
      expect(predicted.sent.find((u) => u.address === PE1)?.reset).toBeDefined();
      const sent = await reload(live, running, next);
      expect(sent.find((u) => u.address === PE1)?.reset).toBe(
        predicted.sent.find((u) => u.address === PE1)?.reset,
      );
      expect(live.peers.get(PE1)).not.toBe(pe1);
      const ap = live.daemon.peers.get(PE1)?.opts.addPath;
      expect(ap).toEqual([{ family: 'vpnv4', receive: true, send: { kind: 'all' } }]);
    } finally {
      await live.stop();
    }
  });

  it('long-lived-graceful-restart resets the session with the new capability, and dry-run says so', async () => {
    const running = parse(asInput(baseConfig()));
    const live = await World.start(running, PEERS);
    try {
      const pe1 = live.peers.get(PE1)!;
      const next = parse(
        asInput(withPe1((n) => (n['long-lived-graceful-restart'] = { 'stale-time': 600 }))),
      );
      const predicted = await predictConfig(live.daemon, running, next);
      expect(predicted.sent.find((u) => u.address === PE1)?.reset).toBeDefined();
      const sent = await reload(live, running, next);
      expect(sent.find((u) => u.address === PE1)?.reset).toBe(
        predicted.sent.find((u) => u.address === PE1)?.reset,
      );
      expect(live.peers.get(PE1)).not.toBe(pe1);
      expect(live.daemon.peers.get(PE1)?.opts.longLivedGracefulRestart).toEqual([
        { family: 'vpnv4', staleTime: 600 },
        { family: 'vpnv6', staleTime: 600 },
      ]);
      // Back to the running config: the same reset, the capability gone, as a fresh start.
      await reload(live, next, running);
      expect(live.daemon.peers.get(PE1)?.opts.longLivedGracefulRestart).toBeUndefined();
    } finally {
      await live.stop();
    }
  });
});
