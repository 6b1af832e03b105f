/**
 * What a user writes by hand with plain promises: the native baselines for the primitive workloads.
 * Each is FIFO and O(1) per operation (a head-indexed array, never `Array.shift`).
 */

/** A FIFO of callbacks: O(1) push and shift, compacted when half of it is consumed. */
export class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  get size(): number {
    return this.items.length - this.head;
  }
  push(x: T): void {
    this.items.push(x);
  }
  shift(): T | undefined {
    if (this.head === this.items.length) return undefined;
    const x = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return x;
  }
}

/** A FIFO promise lock: `release` hands the lock straight to the next waiter. */
export class NativeLock {
  private held = false;
  private readonly waiters = new Fifo<() => void>();
  acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.held = false;
  }
}

/** A FIFO counting semaphore with hand-off on release. */
export class NativeSemaphore {
  private readonly waiters = new Fifo<() => void>();
  constructor(private value: number) {}
  acquire(): Promise<void> {
    if (this.value > 0) {
      this.value--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.value++;
  }
}

/** A bounded FIFO queue (`maxsize >= 1`) with blocking `put` and `get`. */
export class NativeQueue<T> {
  private readonly items = new Fifo<T>();
  private readonly getters = new Fifo<(x: T) => void>();
  private readonly putters = new Fifo<() => void>();
  constructor(private readonly maxsize: number) {}
  async put(x: T): Promise<void> {
    const getter = this.getters.shift();
    if (getter) return getter(x);
    while (this.items.size >= this.maxsize) await new Promise<void>((r) => this.putters.push(r));
    this.items.push(x);
  }
  get(): Promise<T> {
    if (this.items.size > 0) {
      const x = this.items.shift() as T;
      this.putters.shift()?.();
      return Promise.resolve(x);
    }
    return new Promise((resolve) => this.getters.push(resolve));
  }
}

/** `Promise.withResolvers` (Node 22+) for Node 20. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (x: T) => void; reject: (e: unknown) => void } {
  let resolve!: (x: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
