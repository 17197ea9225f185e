// TCP byte stream -> whole BGP messages. The header is checked as soon as its 19 octets are there,
// so a bad marker, length or type is reported before the body arrives; memory stays bounded by
// one maximum-size message (plus the chunk being pushed).

import { MAX_MESSAGE } from './context.js';
import { WireError } from './errors.js';
import { decodeHeader } from './header.js';
import { HEADER_LENGTH } from './types.js';

export interface FramerOptions {
  /** 4096, or 65535 once the RFC 8654 extended message capability was exchanged. */
  readonly maxLength: number;
}

export class Framer {
  private maxLength: number;
  /** The header being collected when it arrived split across chunks. */
  private readonly head = Buffer.alloc(HEADER_LENGTH);
  private headFill = 0;
  /** The message being collected (allocated once its header checked out), and how full it is. */
  private partial: Buffer | undefined;
  private partialFill = 0;
  /** After a header error the stream cannot be resynchronized: every later push throws it. */
  private failed: WireError | undefined;

  constructor(opts: FramerOptions = { maxLength: MAX_MESSAGE }) {
    this.maxLength = opts.maxLength;
  }

  /** Raises (or lowers) the limit for headers not yet checked, e.g. after OPEN negotiation. */
  setMaxLength(n: number): void {
    this.maxLength = n;
  }

  /** Octets held for an incomplete message. */
  get buffered(): number {
    return this.partial !== undefined ? this.partialFill : this.headFill;
  }

  /**
   * Feeds the next chunk; returns the messages it completes, each exactly one message with its
   * header. A message that arrives whole inside the chunk is a view into the chunk (no copy), so
   * the caller must not reuse the chunk's memory. Throws WireError('header') with the
   * NOTIFICATION for the first bad header; messages before it in the same chunk are dropped with
   * it (the session is reset anyway).
   */
  push(chunk: Buffer): Buffer[] {
    if (this.failed !== undefined) throw this.failed;
    try {
      return this.consume(chunk);
    } catch (e) {
      if (e instanceof WireError) this.failed = e;
      throw e;
    }
  }

  private consume(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      if (this.partial !== undefined) {
        const n = Math.min(this.partial.length - this.partialFill, chunk.length - pos);
        chunk.copy(this.partial, this.partialFill, pos, pos + n);
        this.partialFill += n;
        pos += n;
        if (this.partialFill === this.partial.length) {
          out.push(this.partial);
          this.partial = undefined;
          this.partialFill = 0;
        }
        continue;
      }
      if (this.headFill === 0 && chunk.length - pos >= HEADER_LENGTH) {
        // Fast path: the header is whole in the chunk.
        const { length } = decodeHeader(chunk, pos, this.maxLength);
        if (chunk.length - pos >= length) {
          out.push(chunk.subarray(pos, pos + length));
          pos += length;
        } else {
          this.start(chunk.subarray(pos, pos + HEADER_LENGTH), length);
          pos += HEADER_LENGTH;
        }
        continue;
      }
      // The header straddles chunks: collect it first.
      const n = Math.min(HEADER_LENGTH - this.headFill, chunk.length - pos);
      chunk.copy(this.head, this.headFill, pos, pos + n);
      this.headFill += n;
      pos += n;
      if (this.headFill === HEADER_LENGTH) {
        this.headFill = 0;
        const { length } = decodeHeader(this.head, 0, this.maxLength);
        if (length === HEADER_LENGTH) out.push(Buffer.from(this.head));
        else this.start(this.head, length);
      }
    }
    return out;
  }

  private start(header: Buffer, length: number): void {
    this.partial = Buffer.allocUnsafe(length);
    header.copy(this.partial, 0, 0, HEADER_LENGTH);
    this.partialFill = HEADER_LENGTH;
  }
}
