/** `shield`: protect an awaitable from the cancellation of its awaiter (asyncio.shield). */
import { Future } from "./futures.js";
import { checkAwaitable, ensureFuture } from "./tasks.js";
import type { Awaitable } from "./coroutines.js";

/**
 * Returns a Future that mirrors `aw` (a coroutine is wrapped in a task) but whose cancellation does
 * not reach `aw`: cancelling the task that waits on `yield* shield(x)` raises `CancelledError` in
 * that task while `x` runs on. The other direction still holds: if `x` itself is cancelled, the
 * shield is cancelled too. Keep a reference to `x` if you want its result later.
 *
 * @throws TypeError if `aw` is not awaitable: a Promise (wrap it with `fromPromise`), a generator
 *   function not called, an array (shield `gather(...list)`).
 * @example
 * const save = createTask(saveToDisk(doc));
 * try { yield* shield(save); } catch (e) { if (e instanceof CancelledError) { // save goes on
 * } throw e; }
 */
export function shield<T>(aw: Future<T> | Awaitable<T>): Future<T> {
  checkAwaitable(aw, "shield");
  const inner = ensureFuture(aw);
  if (inner.done()) return inner;
  const outer = inner._loop.createFuture<T>();
  const onInnerDone = (f: Future<T>): void => {
    if (outer.cancelled()) {
      if (!f.cancelled()) f.exception(); // mark the error retrieved
      return;
    }
    if (f.cancelled()) {
      outer.cancel();
      return;
    }
    const exc = f.exception();
    if (exc !== null) outer.setException(exc);
    else outer.setResult(f.result());
  };
  inner.addDoneCallback(onInnerDone);
  outer.addDoneCallback(() => {
    if (!inner.done()) inner.removeDoneCallback(onInnerDone);
  });
  return outer;
}
