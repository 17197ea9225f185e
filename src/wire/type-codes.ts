// The attribute type codes seen in one UPDATE's attribute list (RFC 7606 §3(g): a repeat is
// discarded or resets the session, decodeUpdate).

/**
 * A set of attribute type codes (0-255) as 256 bits in eight words: a `Set` per UPDATE and its
 * store grown per attribute were ~70 MB of garbage per million routes of the realistic table
 * (bench/README.md, issue 13 branch gc6).
 */
export class TypeCodes {
  private readonly words = [0, 0, 0, 0, 0, 0, 0, 0];

  has(code: number): boolean {
    return (this.words[code >>> 5]! & (1 << (code & 31))) !== 0;
  }

  add(code: number): void {
    const i = code >>> 5;
    this.words[i] = this.words[i]! | (1 << (code & 31));
  }
}
