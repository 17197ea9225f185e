import { WireError } from './errors.js';

/**
 * A bounds-checked cursor over a byte range. Every read checks the end; running past it throws a
 * WireError of kind 'truncated', which the message decoders turn into the RFC's reaction.
 * Reads Buffers directly (no copies): bytes() returns a view into the input.
 */
export class Reader {
  pos: number;
  readonly end: number;
  constructor(
    readonly buf: Buffer,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  ensure(n: number): void {
    if (n < 0 || this.pos + n > this.end) {
      throw new WireError(
        'truncated',
        `need ${n} octets at ${this.pos}, have ${this.end - this.pos}`,
      );
    }
  }

  u8(): number {
    if (this.pos >= this.end) this.ensure(1);
    return this.buf[this.pos++]!;
  }

  u16(): number {
    if (this.pos + 2 > this.end) this.ensure(2);
    const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  u24(): number {
    if (this.pos + 3 > this.end) this.ensure(3);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 3;
    return (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!;
  }

  u32(): number {
    if (this.pos + 4 > this.end) this.ensure(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  /** A view (no copy) of the next n octets. */
  bytes(n: number): Buffer {
    this.ensure(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** A copy of the next n octets, for data the caller keeps beyond the input's lifetime. */
  copy(n: number): Uint8Array {
    this.ensure(n);
    const v = Uint8Array.prototype.slice.call(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  skip(n: number): void {
    this.ensure(n);
    this.pos += n;
  }

  /** A sub-reader over the next n octets; this reader moves past them. */
  sub(n: number): Reader {
    this.ensure(n);
    const r = new Reader(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }
}
