/**
 * The loop's timers: a binary min-heap ordered by (deadline, scheduling order), so timers with equal
 * deadlines fire in the order they were scheduled. A cancelled timer stays in the heap until it
 * reaches the top or until cancelled timers are more than half of a heap of 100 or more, when the
 * heap is rebuilt without them (CPython's policy).
 *
 * The keys live in two typed arrays beside the timers: sifting compares numbers stored next to each
 * other instead of following a pointer to each timer (with 100k timers, those cache misses made a
 * pop cost about a microsecond).
 */

/** What the heap needs of a timer. */
export interface HeapTimer {
  _when: number;
  _cancelled: boolean;
  _scheduled: boolean;
}

const MIN_FOR_COMPACTION = 100;

export class TimerHeap<T extends HeapTimer> {
  /** The timers, in heap order; `whens[i]` and `seqs[i]` are the keys of `items[i]`. */
  items: T[] = [];
  cancelledCount = 0;
  private whens = new Float64Array(64);
  private seqs = new Float64Array(64);
  private seq = 0;

  push(t: T): void {
    t._scheduled = true;
    const items = this.items;
    const i = items.length;
    if (i === this.whens.length) this.grow();
    items.push(t);
    this.siftUp(t, t._when, this.seq++, i);
  }

  /** Called when a scheduled timer is cancelled; compacts the heap when cancelled timers dominate. */
  noteCancelled(): void {
    this.cancelledCount++;
    const n = this.items.length;
    if (n >= MIN_FOR_COMPACTION && this.cancelledCount * 2 > n) this.compact();
  }

  /** The earliest live timer, dropping cancelled ones from the top; undefined when none is left. */
  peek(): T | undefined {
    const items = this.items;
    while (items.length > 0) {
      const top = items[0]!;
      if (!top._cancelled) return top;
      this.pop();
      this.cancelledCount--;
    }
    return undefined;
  }

  /** Removes and returns the top timer (live or cancelled). */
  pop(): T {
    const items = this.items;
    const top = items[0]!;
    const last = items.pop()!;
    const n = items.length;
    if (n > 0) this.siftDown(last, this.whens[n]!, this.seqs[n]!, 0, n);
    top._scheduled = false;
    return top;
  }

  clear(): void {
    for (const t of this.items) t._scheduled = false;
    this.items = [];
    this.cancelledCount = 0;
  }

  private compact(): void {
    const old = this.items;
    const oldWhens = this.whens;
    const oldSeqs = this.seqs;
    const items: T[] = [];
    const whens = new Float64Array(oldWhens.length);
    const seqs = new Float64Array(oldSeqs.length);
    for (let i = 0; i < old.length; i++) {
      const t = old[i]!;
      if (t._cancelled) {
        t._scheduled = false;
        continue;
      }
      whens[items.length] = oldWhens[i]!;
      seqs[items.length] = oldSeqs[i]!;
      items.push(t);
    }
    this.items = items;
    this.whens = whens;
    this.seqs = seqs;
    this.cancelledCount = 0;
    const n = items.length;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.siftDown(items[i]!, whens[i]!, seqs[i]!, i, n);
  }

  private grow(): void {
    const whens = new Float64Array(this.whens.length * 2);
    whens.set(this.whens);
    const seqs = new Float64Array(this.seqs.length * 2);
    seqs.set(this.seqs);
    this.whens = whens;
    this.seqs = seqs;
  }

  private siftUp(t: T, when: number, seq: number, i: number): void {
    const { items, whens, seqs } = this;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pw = whens[p]!;
      if (when > pw || (when === pw && seq > seqs[p]!)) break;
      items[i] = items[p]!;
      whens[i] = pw;
      seqs[i] = seqs[p]!;
      i = p;
    }
    items[i] = t;
    whens[i] = when;
    seqs[i] = seq;
  }

  private siftDown(t: T, when: number, seq: number, i: number, n: number): void {
    const { items, whens, seqs } = this;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let cw = whens[c]!;
      let cs = seqs[c]!;
      const r = c + 1;
      if (r < n) {
        const rw = whens[r]!;
        if (rw < cw || (rw === cw && seqs[r]! < cs)) {
          c = r;
          cw = rw;
          cs = seqs[r]!;
        }
      }
      if (when < cw || (when === cw && seq < cs)) break;
      items[i] = items[c]!;
      whens[i] = cw;
      seqs[i] = cs;
      i = c;
    }
    items[i] = t;
    whens[i] = when;
    seqs[i] = seq;
  }
}
