// The RIB's outbound packing is the codec's (src/wire/update-pack.ts): every byte of an UPDATE is
// written in src/wire. Re-exported for the RIB's callers.

export { endOfRib, packAnnounce, packWithdraw } from '../wire/update-pack.js';
