// DESIGN.md "Config keys are honest": every key the schema accepts changes behaviour or state, or
// is refused with a message. The schema is walked (schema-keys.ts) and every key path must have an
// entry here that shows it: two configs differing in that key only, and an observable that differs
// (the OPEN we send, a table, what a peer was sent, a log event, a refusal). A key added to the
// schema without an entry fails the first test.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { schemaKeyPaths } from './schema-keys.js';
import { ADD_PATH_KEYS } from './keys-add-path.js';
import { GLOBAL_KEYS } from './keys-global.js';
import { NEIGHBOR_KEYS } from './keys-neighbor.js';
import { POLICY_KEYS } from './keys-policy.js';
import { VRF_KEYS } from './keys-vrf.js';
import { MRT_KEYS } from './keys-mrt.js';
import { FIB_KEYS } from './keys-fib.js';
import { BMP_KEYS } from './keys-bmp.js';
import { EXPECT_KEYS } from './keys-expect.js';
import { LLGR_KEYS } from './keys-llgr.js';
import { PE_CE_KEYS } from './keys-pece.js';
import type { KeyCheck } from './keys-scenarios.js';

const TABLE: Record<string, KeyCheck> = {
  ...GLOBAL_KEYS,
  ...NEIGHBOR_KEYS,
  ...ADD_PATH_KEYS,
  ...LLGR_KEYS,
  ...VRF_KEYS,
  ...EXPECT_KEYS,
  ...POLICY_KEYS,
  ...MRT_KEYS,
  ...FIB_KEYS,
  ...BMP_KEYS,
  ...PE_CE_KEYS,
};

afterEach(() => {
  vi.useRealTimers();
});

describe('every config key', () => {
  const paths = schemaKeyPaths();

  it('has an entry for every key path of the schema, and none for a key the schema lacks', () => {
    expect(Object.keys(TABLE).sort()).toEqual(paths);
  });

  it('has a check below every key marked as a container', () => {
    for (const [path, check] of Object.entries(TABLE)) {
      if (check !== 'container') continue;
      const children = paths.filter((p) => p.startsWith(`${path}.`) || p.startsWith(`${path}[]`));
      expect(children.length, path).toBeGreaterThan(0);
    }
  });

  it.each(paths.filter((p) => TABLE[p] !== undefined && TABLE[p] !== 'container'))(
    '%s changes what it says',
    async (path) => {
      const check = TABLE[path];
      if (typeof check === 'function') await check();
    },
  );
});
