/**
 * The loop's ready queue: a FIFO of (item, argument) pairs in a ring buffer, O(1) push and shift.
 *
 * The ring doubles when full (the pairs are copied once, in order: amortized O(1)), and `trim()`,
 * which the loop calls between batches, gives a large buffer back once the queue is empty, so a loop
 * that once had 100k tasks ready does not keep a megabyte-sized array for good. A ring measured
 * faster on the step path than a list of fixed segments: one array and two indices, no segment to
 * look up per push and shift.
 *
 * An item is a Task (stepped), a runnable (`Handle`, timer: `item._run(arg)`) or a done callback (a
 * function: `item(arg)` with the future). Pairs avoid allocating a Handle per done callback.
 */

/** Slots (two per pair) of a new or trimmed buffer: 2048 pairs. */
const INITIAL_SLOTS = 4096;

function emptySlots(n: number): unknown[] {
  return new Array<unknown>(n).fill(undefined);
}

export class ReadyQueue {
  size = 0;
  /** The argument of the item `shift()` returned last. */
  arg: unknown = undefined;
  private slots: unknown[] = emptySlots(INITIAL_SLOTS);
  /** `slots.length - 1` (the length is a power of two). */
  private mask = INITIAL_SLOTS - 1;
  private head = 0;
  private tail = 0;

  push(item: unknown, arg: unknown): void {
    const s = this.slots;
    const t = this.tail;
    s[t] = item;
    s[t + 1] = arg;
    this.tail = (t + 2) & this.mask;
    if (++this.size << 1 === s.length) this.grow();
  }

  /** Removes and returns the first item (the queue must not be empty); its argument is in `arg`. */
  shift(): unknown {
    const s = this.slots;
    const h = this.head;
    const item = s[h];
    this.arg = s[h + 1];
    s[h] = undefined;
    s[h + 1] = undefined;
    this.head = (h + 2) & this.mask;
    this.size--;
    return item;
  }

  /** Gives a grown buffer back once the queue is empty. */
  trim(): void {
    if (this.size === 0 && this.slots.length > INITIAL_SLOTS) {
      this.slots = emptySlots(INITIAL_SLOTS);
      this.mask = INITIAL_SLOTS - 1;
      this.head = this.tail = 0;
    }
  }

  clear(): void {
    while (this.size > 0) this.shift();
    this.arg = undefined;
    this.trim();
  }

  /** Shuffles the first `n` pairs in place with `random()` in [0, 1) (Fisher–Yates). */
  shuffle(n: number, random: () => number): void {
    const s = this.slots;
    const m = this.mask;
    const at = (k: number): number => (this.head + 2 * k) & m;
    for (let k = n - 1; k > 0; k--) {
      const j = Math.floor(random() * (k + 1));
      const a = at(k), b = at(j);
      [s[a], s[b]] = [s[b], s[a]];
      [s[a + 1], s[b + 1]] = [s[b + 1], s[a + 1]];
    }
  }

  /** The buffer is full: double it, the pairs in order from index 0. */
  private grow(): void {
    const old = this.slots;
    const n = old.length;
    const s = emptySlots(2 * n);
    for (let i = 0, h = this.head; i < n; i++) s[i] = old[(h + i) & this.mask];
    this.slots = s;
    this.mask = 2 * n - 1;
    this.head = 0;
    this.tail = n;
  }
}
