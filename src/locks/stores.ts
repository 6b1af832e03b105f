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

  /**
   * Moves the item at `pos` up while it is smaller than its parent (never above `start`). If a
   * comparison throws, the item stays where it got to, so the heap keeps every item (as the C
   * `heapq`, which swaps one step at a time).
   */
  private siftUp(start: number, pos: number): void {
    const items = this.items;
    const item = items[pos];
    try {
      while (pos > start) {
        const parentPos = (pos - 1) >> 1;
        const parent = items[parentPos];
        if (!(this.compare(item, parent) < 0)) break;
        items[pos] = parent;
        pos = parentPos;
      }
    } finally {
      items[pos] = item;
    }
  }

  /**
   * Moves the item at `pos` down to a leaf along the smaller children, then up to its place. If a
   * comparison throws, the item stays where it got to, as in `siftUp`.
   */
  private sinkToLeaf(pos: number): void {
    const items = this.items;
    const end = items.length;
    const start = pos;
    const item = items[pos];
    try {
      let child = 2 * pos + 1;
      while (child < end) {
        const right = child + 1;
        if (right < end && !(this.compare(items[child], items[right]) < 0)) child = right;
        items[pos] = items[child];
        pos = child;
        child = 2 * pos + 1;
      }
    } finally {
      items[pos] = item;
    }
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
 * booleans by value (mixed freely, like Python's int, float and bool), strings by code point (as
 * Python's str: an astral character such as an emoji sorts after U+FFFF, not among the surrogates),
 * arrays lexicographically like tuples: the first element that is not equal (`pythonEqual`) decides,
 * and a prefix is smaller. Returns a negative number if `a < b`, a positive one if `b < a`, else 0
 * (equal, or unordered like NaN). Anything else Python could not order is a TypeError: two nulls,
 * or an object with itself, as Python's `None < None` (an object equals itself only inside a tuple).
 * @internal
 */
export function pythonCompare(a: unknown, b: unknown): number {
  const ka = kind(a);
  if (ka === null || ka !== kind(b)) throw cannotOrder(a, b);
  if (ka === "number") return (a as number) < (b as number) ? -1 : (b as number) < (a as number) ? 1 : 0;
  if (ka === "string") return compareStrings(a as string, b as string);
  const x = a as unknown[];
  const y = b as unknown[];
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (!pythonEqual(x[i], y[i])) return pythonCompare(x[i], y[i]);
  }
  return x.length - y.length;
}

/**
 * Python's `==` as a tuple comparison uses it: the same object, numbers by value (NaN equals
 * nothing), strings by value, arrays element by element.
 */
function pythonEqual(u: unknown, v: unknown): boolean {
  if (u === v) return true;
  const k = kind(u);
  if (k === null || k !== kind(v)) return false;
  if (k === "number") return (u as number) == (v as number); // 1 == 1n == true, as in Python
  if (k === "string") return false;
  const x = u as unknown[];
  const y = v as unknown[];
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!pythonEqual(x[i], y[i])) return false;
  return true;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Code point order. UTF-16 code unit order (JS's `<`) is the same unless a surrogate is involved. */
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = a.charCodeAt(i);
    const d = b.charCodeAt(i);
    if (c !== d) return codePointRank(c) - codePointRank(d);
  }
  return a.length - b.length;
}

/** Ranks a code unit so that surrogates (which encode U+10000 and above) sort after U+E000–U+FFFF. */
function codePointRank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit;
}

function cannotOrder(a: unknown, b: unknown): TypeError {
  return new TypeError(
    `PriorityQueue: cannot order ${typeName(a)} and ${typeName(b)} ` +
      "(numbers, bigints, strings and arrays of them are ordered like Python values); " +
      "pass a compare function to new PriorityQueue(maxsize, compare)",
  );
}

// Keep the hidden classes alive and general (internal/shapes.ts).
anchorShape(new Ring());
anchorShape(new Stack());
anchorShape(new Heap(pythonCompare));
