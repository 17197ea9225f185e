// When a route arrived, without a timestamp per route: routes carry an arrival number (seq), and
// the clock keeps the first seq of each second in which routes arrived. A route's arrival time is
// the second of the last mark at or below its seq. Memory: one pair per second with arrivals, not
// one number per route (DESIGN.md "Performance design"). MRT dumps read it (Originated Time).

export class SeqClock {
  private readonly seqs: number[] = [];
  private readonly secs: number[] = [];

  constructor(private readonly now: () => number = () => Math.floor(Date.now() / 1000)) {}

  /** Routes numbered from `seq` on arrive now. */
  mark(seq: number): void {
    const t = this.now();
    if (this.secs[this.secs.length - 1] === t) return;
    this.seqs.push(seq);
    this.secs.push(t);
  }

  /** The second (since the epoch) in which the route numbered `seq` arrived. */
  timeOf(seq: number): number {
    let lo = 0;
    let hi = this.seqs.length - 1;
    if (hi < 0 || seq < this.seqs[0]!) return this.secs[0] ?? this.now();
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.seqs[mid]! <= seq) lo = mid;
      else hi = mid - 1;
    }
    return this.secs[lo]!;
  }
}
