// Compact destination keys. One string per destination, shared by every map that indexes it.
// The codec defines them (src/wire/nlri/text.ts); the RIB and the leak engine use the same ones.

export { nlriKey, prefixKey } from '../wire/nlri/text.js';
