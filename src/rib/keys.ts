// Compact destination keys. One string per destination, shared by every map that indexes it.
// The codec defines them (src/wire/nlri/key.ts); the RIB and the leak engine use the same ones.

export {
  keyText,
  nlriKey,
  prefixKey,
  rdKeyPart,
  v4KeyNumber,
  vpnKeyPrefixPart,
} from '../wire/nlri/key.js';
