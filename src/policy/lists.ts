// The named lists route maps refer to, as one lookup: route-map evaluation and the set actions
// (sets.ts, `set comm-list ... delete`) both read it.

import type { CommunityList, ExtCommunityList, LargeCommunityList } from './community-list.js';
import type { CompiledPrefixList } from './prefix-list.js';

/** The lists a route map refers to by name (a compiled Policies object is one). */
export interface PolicyLists {
  readonly prefixLists: ReadonlyMap<string, CompiledPrefixList>;
  readonly communityLists: ReadonlyMap<string, CommunityList>;
  readonly largeCommunityLists: ReadonlyMap<string, LargeCommunityList>;
  readonly extCommunityLists: ReadonlyMap<string, ExtCommunityList>;
}
