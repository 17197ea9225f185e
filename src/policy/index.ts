// The policy engine's public face: compile definitions once, evaluate route maps purely.

export type * from './types.js';
export { SOURCE_PROTOCOLS } from './types.js';
export type { CompileResult, Policies } from './compile.js';
export { compilePolicies } from './compile.js';
export type {
  CompiledClause,
  CompiledRouteMap,
  EvaluateOptions,
  PolicyLists,
} from './route-map.js';
export { evaluateRouteMap, formatTrace } from './route-map.js';
export type { CompiledPrefixList, PrefixListEntry } from './prefix-list.js';
export { explainPrefixList, prefixListLookup, prefixListPermits } from './prefix-list.js';
export type {
  CommunityList,
  ExtCommunityList,
  LargeCommunityList,
  ValueList,
} from './community-list.js';
export { explainValueList, valueListLookup, valueListPermits } from './community-list.js';
export { extFromText, extToBytes, extToText, isRouteTarget, sameExt } from './ext-community.js';
export { prependAsPath } from './sets.js';
export {
  communityFromText,
  communityToText,
  largeCommunityFromText,
  prefixFromText,
  prefixToText,
} from './text.js';
