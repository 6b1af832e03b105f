/**
 * The loop's ready queue: a growable ring buffer of (item, argument) pairs, O(1) push and shift.
 *
 * An item is a runnable (`Task`, `Handle`: called as `item._run(arg)`) or a done callback (a
 * function: called as `item(arg)` with the future). Pairs avoid allocating a Handle per done callback.
 */
export class ReadyQueue {
  /** Interleaved pairs: slot 2i holds the item, 2i+1 its argument. */
  buf: unknown[];
  mask: number;
  head = 0;
  size = 0;

  constructor(capacity = 1024) {
    this.buf = new Array(capacity * 2).fill(undefined);
    this.mask = capacity - 1;
  }

  push(item: unknown, arg: unknown): void {
    if (this.size > this.mask) this.grow();
    const i = ((this.head + this.size) & this.mask) << 1;
    this.buf[i] = item;
    this.buf[i + 1] = arg;
    this.size++;
  }

  clear(): void {
    this.buf.fill(undefined);
    this.head = 0;
    this.size = 0;
  }

  /** Shuffles the first `n` pairs in place with `random()` in [0, 1) (Fisher–Yates). */
  shuffle(n: number, random: () => number): void {
    const { buf, mask, head } = this;
    for (let k = n - 1; k > 0; k--) {
      const j = Math.floor(random() * (k + 1));
      const a = ((head + k) & mask) << 1;
      const b = ((head + j) & mask) << 1;
      const ti = buf[a], ta = buf[a + 1];
      buf[a] = buf[b];
      buf[a + 1] = buf[b + 1];
      buf[b] = ti;
      buf[b + 1] = ta;
    }
  }

  private grow(): void {
    const cap = this.mask + 1;
    const next: unknown[] = new Array(cap * 4).fill(undefined);
    for (let k = 0; k < this.size; k++) {
      const i = ((this.head + k) & this.mask) << 1;
      next[k << 1] = this.buf[i];
      next[(k << 1) + 1] = this.buf[i + 1];
    }
    this.buf = next;
    this.mask = cap * 2 - 1;
    this.head = 0;
  }
}
