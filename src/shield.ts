/** `shield`: protect an awaitable from the cancellation of its awaiter (asyncio.shield). */
import { Future } from "./futures.js";
import { checkAwaitable, ensureFuture } from "./tasks.js";
import type { Awaitable } from "./coroutines.js";
import type { TaggedCallback } from "./graph.js";

/**
 * Returns a Future that mirrors `aw` (a coroutine is wrapped in a task at once) but whose
 * cancellation does not reach `aw`: cancelling the task that waits on `yield* shield(x)` raises
 * `CancelledError` in that task at once, while `x` runs on. The other direction still holds: if `x`
 * itself is cancelled, the shield is cancelled too. If `aw` is already done, it is returned as is.
 *
 * `shield` itself never blocks; `yield*` on its Future blocks until `x` is done or the waiting task
 * is cancelled. What a cancellation leaves behind: `x`, still running, and nothing else waiting for
 * it. If `x` then fails and nobody retrieves its error, it is reported as never retrieved (as in
 * CPython): keep a reference to `x` and await it if you want its result or its error later.
 *
 * @throws TypeError if `aw` is not awaitable: a Promise (wrap it with `fromPromise`), a generator
 *   function not called, an array (shield `gather(...list)`).
 * @example
 * const save = createTask(saveToDisk(doc));
 * const ok = yield* shield(save);   // if this task is cancelled here, it stops; the save goes on
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
    if (f._hasFailed()) outer.setException(exc); // even a null error (JS can throw null)
    else outer.setResult(f.result());
  };
  // The call graph shows the task that shields `inner` as awaiting it (CPython 3.14's awaited_by).
  const shielding = inner._loop._current;
  if (shielding !== null) (onInnerDone as TaggedCallback)._awaiter = () => shielding;
  inner.addDoneCallback(onInnerDone);
  outer.addDoneCallback(() => {
    if (!inner.done()) inner.removeDoneCallback(onInnerDone);
  });
  return outer;
}
