// `vrfleak export`: a vrfleak config (already loaded and checked) rendered for another router.

import type { Config } from '../config/schema.js';
import { renderBird } from './export-bird.js';
import type { Rendered } from './export-common.js';
import { renderFrr } from './export-frr.js';
import { renderGobgp } from './export-gobgp.js';

export type { Rendered } from './export-common.js';

export const TARGETS: Readonly<Record<string, (c: Config) => Rendered>> = {
  frr: renderFrr,
  gobgp: renderGobgp,
  bird: renderBird,
};
export const TARGET_NAMES = Object.keys(TARGETS);
