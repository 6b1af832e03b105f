/**
 * The loop's timers: a binary min-heap ordered by (deadline, scheduling order), so timers with equal
 * deadlines fire in the order they were scheduled. A cancelled timer stays in the heap until it
 * reaches the top or until cancelled timers are more than half of a heap of 100 or more, when the
 * heap is rebuilt without them (CPython's policy).
 */

/** What the heap needs of a timer. */
export interface HeapTimer {
  _when: number;
  _seq: number;
  _cancelled: boolean;
  _scheduled: boolean;
}

const MIN_FOR_COMPACTION = 100;

function before(a: HeapTimer, b: HeapTimer): boolean {
  return a._when < b._when || (a._when === b._when && a._seq < b._seq);
}

export class TimerHeap<T extends HeapTimer> {
  items: T[] = [];
  cancelledCount = 0;
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  push(t: T): void {
    t._seq = this.seq++;
    t._scheduled = true;
    const items = this.items;
    let i = items.length;
    items.push(t);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = items[p]!;
      if (!before(t, parent)) break;
      items[i] = parent;
      i = p;
    }
    items[i] = t;
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
    if (items.length > 0) this.siftDown(last, 0);
    top._scheduled = false;
    return top;
  }

  clear(): void {
    for (const t of this.items) t._scheduled = false;
    this.items = [];
    this.cancelledCount = 0;
  }

  private compact(): void {
    const live: T[] = [];
    for (const t of this.items) {
      if (t._cancelled) t._scheduled = false;
      else live.push(t);
    }
    this.items = live;
    this.cancelledCount = 0;
    for (let i = (live.length >> 1) - 1; i >= 0; i--) this.siftDown(live[i]!, i);
  }

  private siftDown(t: T, i: number): void {
    const items = this.items;
    const n = items.length;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && before(items[c + 1]!, items[c]!)) c++;
      if (!before(items[c]!, t)) break;
      items[i] = items[c]!;
      i = c;
    }
    items[i] = t;
  }
}
