// A seeded sequence of 32-bit integers (xorshift32): the RIB tests' generated keys and operations
// are the same on every run.

export function xorshift32(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}
