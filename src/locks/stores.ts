/**
 * The item stores behind the queues: a ring buffer (FIFO), a stack (LIFO) and a binary heap
 * (priority), each O(1) or O(log n) per operation; and Python's ordering for the heap.
 */
import { anchorShape } from "../internal/shapes.js";

/** @internal What a Queue keeps its items in. */
export interface Store<T> {
  readonly length: number;
  push(item: T): void;
  /** Removes and returns the next item; only called when `length > 0`. */
  take(): T;
  clear(): void;
}

/** @internal A growable ring buffer: O(1) push and take from the front, no `Array.shift`. */
export class Ring<T> implements Store<T> {
  private buf: (T | undefined)[] = new Array(8).fill(undefined);
  private mask = 7;
  private head = 0;
  length = 0;

  push(item: T): void {
    if (this.length > this.mask) this.grow();
    this.buf[(this.head + this.length) & this.mask] = item;
    this.length++;
  }

  take(): T {
    const i = this.head;
    const item = this.buf[i] as T;
    this.buf[i] = undefined;
    this.head = (i + 1) & this.mask;
    this.length--;
    return item;
  }

  clear(): void {
    this.buf.fill(undefined);
    this.head = 0;
    this.length = 0;
  }

  private grow(): void {
    const old = this.buf;
    const cap = this.mask + 1;
    const next: (T | undefined)[] = new Array(cap * 2).fill(undefined);
    for (let k = 0; k < this.length; k++) next[k] = old[(this.head + k) & this.mask];
    this.buf = next;
    this.mask = cap * 2 - 1;
    this.head = 0;
  }
}

/** @internal A stack: `take()` returns the last item pushed. */
export class Stack<T> implements Store<T> {
  private items: T[] = [];

  get length(): number {
    return this.items.length;
  }

  push(item: T): void {
    this.items.push(item);
  }

  take(): T {
    return this.items.pop() as T;
  }

  clear(): void {
    this.items.length = 0;
  }
}

/**
 * @internal A binary min-heap. Same algorithm as Python's `heapq` (push sifts up; pop moves the last
 * item to the root, sinks it to a leaf along the smaller children, then sifts it up), so items that
 * compare equal come out in the same order as in CPython.
 */
export class Heap<T> implements Store<T> {
  private items: T[] = [];

  constructor(public compare: (a: T, b: T) => number) {}

  get length(): number {
    return this.items.length;
  }

  push(item: T): void {
    this.items.push(item);
    this.siftUp(0, this.items.length - 1);
  }

  take(): T {
    const items = this.items;
    const last = items.pop() as T;
    if (items.length === 0) return last;
    const top = items[0];
    items[0] = last;
    this.sinkToLeaf(0);
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }

  /** Moves the item at `pos` up while it is smaller than its parent (never above `start`). */
  private siftUp(start: number, pos: number): void {
    const items = this.items;
    const item = items[pos];
    while (pos > start) {
      const parentPos = (pos - 1) >> 1;
      const parent = items[parentPos];
      if (!(this.compare(item, parent) < 0)) break;
      items[pos] = parent;
      pos = parentPos;
    }
    items[pos] = item;
  }

  /** Moves the item at `pos` down to a leaf along the smaller children, then up to its place. */
  private sinkToLeaf(pos: number): void {
    const items = this.items;
    const end = items.length;
    const start = pos;
    const item = items[pos];
    let child = 2 * pos + 1;
    while (child < end) {
      const right = child + 1;
      if (right < end && !(this.compare(items[child], items[right]) < 0)) child = right;
      items[pos] = items[child];
      pos = child;
      child = 2 * pos + 1;
    }
    items[pos] = item;
    this.siftUp(start, pos);
  }
}

function kind(x: unknown): "number" | "string" | "array" | null {
  switch (typeof x) {
    case "number":
    case "bigint":
    case "boolean":
      return "number";
    case "string":
      return "string";
    case "object":
      return Array.isArray(x) ? "array" : null;
    default:
      return null;
  }
}

function typeName(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "array";
  if (typeof x === "object") return (x as object).constructor?.name ?? "object";
  return typeof x;
}

/**
 * Orders two values as Python's `<` does for the types JS shares with it: numbers, bigints and
 * booleans by value (mixed freely, like Python's int, float and bool), strings by UTF-16 code units,
 * arrays lexicographically like tuples (the first differing element decides; a prefix is smaller).
 * The same object is equal to itself; anything else that Python could not order is a TypeError.
 * @internal
 */
export function pythonCompare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  const ka = kind(a);
  if (ka !== null && ka === kind(b)) {
    if (ka !== "array") return (a as number) < (b as number) ? -1 : (b as number) < (a as number) ? 1 : 0;
    const x = a as unknown[];
    const y = b as unknown[];
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) {
      const c = pythonCompare(x[i], y[i]);
      if (c !== 0) return c;
    }
    return x.length - y.length;
  }
  throw new TypeError(
    `PriorityQueue: cannot order ${typeName(a)} and ${typeName(b)} ` +
      "(numbers, bigints, strings and arrays of them are ordered like Python values); " +
      "pass a compare function to new PriorityQueue(maxsize, compare)",
  );
}

// Keep the hidden classes alive and general (internal/shapes.ts).
anchorShape(new Ring());
anchorShape(new Stack());
anchorShape(new Heap(pythonCompare));
