/**
 * The loop's ready queue: a FIFO of (item, argument) pairs in fixed-size segments, O(1) push and
 * shift, never copied when it grows (a growing ring buffer copies everything at each doubling, and a
 * loop that ran 100k tasks at once would keep a 2 MB array for good). One drained segment is kept
 * for reuse, the others are left to the GC.
 *
 * An item is a Task (stepped), a runnable (`Handle`, timer: `item._run(arg)`) or a done callback (a
 * function: `item(arg)` with the future). Pairs avoid allocating a Handle per done callback.
 */
import { shuffleInPlace } from "./prng.js";

/** Slots per segment: 1024 pairs. */
const SLOTS = 2048;

type Segment = { slots: unknown[]; next: Segment | null };

function newSegment(): Segment {
  return { slots: new Array(SLOTS).fill(undefined), next: null };
}

export class ReadyQueue {
  size = 0;
  /** The argument of the item `shift()` returned last. */
  arg: unknown = undefined;
  private head: Segment = newSegment();
  private headIdx = 0;
  private tail: Segment = this.head;
  private tailIdx = 0;
  private spare: Segment | null = null;

  push(item: unknown, arg: unknown): void {
    let i = this.tailIdx;
    if (i === SLOTS) {
      const seg = this.spare ?? newSegment();
      this.spare = null;
      this.tail.next = seg;
      this.tail = seg;
      i = 0;
    }
    const s = this.tail.slots;
    s[i] = item;
    s[i + 1] = arg;
    this.tailIdx = i + 2;
    this.size++;
  }

  /** Removes and returns the first item (the queue must not be empty); its argument is in `arg`. */
  shift(): unknown {
    let i = this.headIdx;
    if (i === SLOTS) {
      const drained = this.head;
      this.head = drained.next!;
      drained.next = null;
      this.spare = drained;
      i = 0;
    }
    const s = this.head.slots;
    const item = s[i];
    this.arg = s[i + 1];
    s[i] = undefined;
    s[i + 1] = undefined;
    this.headIdx = i + 2;
    this.size--;
    return item;
  }

  clear(): void {
    while (this.size > 0) this.shift();
    this.arg = undefined;
  }

  /** Shuffles the first `n` pairs in place with `random()` in [0, 1) (Fisher–Yates). */
  shuffle(n: number, random: () => number): void {
    const items: unknown[] = [];
    const args: unknown[] = [];
    for (let k = 0; k < n; k++) {
      items.push(this.shift());
      args.push(this.arg);
    }
    const order: number[] = [];
    for (let k = 0; k < n; k++) order.push(k);
    shuffleInPlace(order, random);
    // Put them back in front of what was behind them: rotate the rest behind.
    const rest = this.size;
    for (let k = 0; k < n; k++) this.push(items[order[k]!], args[order[k]!]);
    for (let k = 0; k < rest; k++) {
      const item = this.shift();
      this.push(item, this.arg);
    }
    this.arg = undefined;
  }
}
