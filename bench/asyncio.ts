/**
 * Loads asyncio-ts (`../src/index.js`, relative to the built file) at run time, so the suite compiles and
 * runs while parts of the library do not exist yet: a workload whose exports are missing is printed as
 * "not available" instead of failing the build.
 *
 * The types below are the slice of API.md the benchmarks use, written structurally.
 */
import { expectCount, type Impl, type Raw } from "./harness.js";

/** Anything `yield*` accepts and that returns `T`. */
export interface Aw<T> {
  [Symbol.iterator](): Iterator<unknown, T, unknown>;
}
/** A coroutine (its yields are the library's internal `Suspension`, which the benchmarks never name). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Coro<T = void> = Generator<any, T, any>;

export interface AFuture<T> extends Aw<T> {
  setResult(value: T): void;
  setException(error: unknown): void;
  done(): boolean;
  cancelled(): boolean;
  cancel(msg?: string): boolean;
  result(): T;
}
export type ATask<T> = AFuture<T>;

export interface ALoop {
  createFuture<T>(): AFuture<T>;
  time(): number;
}
export interface ATaskGroup {
  createTask<T>(coro: Coro<T>): ATask<T>;
}
export interface ALock {
  acquire(): Aw<unknown>;
  release(): void;
  locked(): boolean;
}
export interface AEvent {
  wait(): Aw<unknown>;
  set(): void;
  isSet(): boolean;
}
export interface AQueue<T> {
  put(item: T): Aw<void>;
  get(): Aw<T>;
  putNowait(item: T): void;
  qsize(): number;
}
export interface AContextManager<T> {
  aenter(): Coro<T>;
  aexit(exit: unknown): Coro<boolean | void>;
}

export interface Asyncio {
  run<T>(main: Coro<T>): Promise<T>;
  sleep(ms: number): Aw<void>;
  createTask<T>(coro: Coro<T>): ATask<T>;
  getRunningLoop(): ALoop;
  taskGroup<T>(body: (tg: ATaskGroup) => Coro<T>): Aw<T>;
  asyncWith<T, R>(cm: AContextManager<T>, body: (value: T) => Coro<R>): Aw<R | undefined>;
  CancelledError: new (...args: never[]) => Error;
  Lock: new () => ALock & AContextManager<unknown>;
  Semaphore: new (value?: number) => ALock & AContextManager<unknown>;
  Event: new () => AEvent;
  Queue: new <T>(maxsize?: number) => AQueue<T>;
}

export type Export = keyof Asyncio;

let loaded: Promise<Asyncio | string> | undefined;

/** The module, or the reason it could not be loaded. */
export function loadAsyncio(): Promise<Asyncio | string> {
  loaded ??= import(new URL("../src/index.js", import.meta.url).href).then(
    (m) => m as Asyncio,
    (e: unknown) =>
      (e as { code?: string }).code === "ERR_MODULE_NOT_FOUND" && String((e as Error).message).includes("/src/index.js'")
        ? "src/index.ts not built yet"
        : `src/index.js does not load (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`,
  );
  return loaded;
}

async function missing(needs: readonly Export[]): Promise<string | undefined> {
  const a = await loadAsyncio();
  if (typeof a === "string") return a;
  const absent = needs.filter((k) => (a as unknown as Record<string, unknown>)[k] === undefined);
  return absent.length ? `no export ${absent.join(", ")}` : undefined;
}

/**
 * An asyncio-ts implementation: `body(A, n)` is a coroutine run with `A.run()` (real clock, no seed, no
 * debug); it returns the raw figures. `needs` lists the exports it uses, checked before it runs.
 */
export function asyncioImpl(
  name: string,
  needs: readonly Export[],
  body: (A: Asyncio, n: number) => Coro<Raw>,
): Impl {
  return {
    name,
    unavailable: () => missing(needs),
    async run(n) {
      const a = await loadAsyncio();
      if (typeof a === "string") throw new Error(a);
      return a.run(body(a, n));
    },
  };
}

/** Wait (yielding once per loop iteration) until `cond()` holds; used to let `n` tasks reach their await. */
export function* until(A: Asyncio, cond: () => boolean, what: string): Coro<void> {
  for (let i = 0; !cond(); i++) {
    if (i > 1000) throw new Error(`never reached: ${what}`);
    yield* A.sleep(0);
  }
}

export { expectCount };
