/** `fromPromise`: adopt a JS Promise as a Future (asyncio's `wrap_future`, for promises). */
import { Future, newCancelledError } from "./futures.js";
import { CancelledError } from "./exceptions.js";
import { getEventLoop } from "./internal/running.js";
import { describe } from "./coroutines.js";
import type { EventLoop } from "./base-events.js";
import { anchorOnLoop } from "./internal/shapes.js";

/** A Future that follows a Promise; cancelling it aborts the Promise's signal. */
/** The future of `fromPromise`; it shows as a plain `Future` (`<Future pending>`), as CPython's `wrap_future` makes one. */
class PromiseFuture<T> extends Future<T> {
  /** @internal */ _controller: AbortController | null;
  /** @internal Still counted as an outstanding host callback by the loop. */
  _outstanding = true;

  constructor(loop: EventLoop, controller: AbortController | null) {
    super(loop as never);
    this._controller = controller;
  }

  /** Cancels the future and, synchronously, aborts the signal given to the promise's function. */
  override cancel(msg?: string | null): boolean {
    if (!super.cancel(msg)) return false;
    this._controller?.abort(newCancelledError(msg ?? undefined));
    this._release();
    return true;
  }

  /** @internal */
  _release(): void {
    if (this._outstanding) {
      this._outstanding = false;
      this._loop._hostRelease();
    }
  }
}

/**
 * Adopts a JS Promise (or a function `(signal) => Promise`) as a Future on the running loop (or
 * `getEventLoop()`), so a coroutine can `yield*` it. With the function form, cancelling the future
 * aborts `signal` synchronously, so `fetch(url, { signal })` and the like really stop.
 *
 * Never blocks; `yield*` on the Future blocks until the promise settles. While the promise is
 * outstanding the virtual clock does not jump past it: the loop waits for it in real time.
 *
 * Cancellation (of the Future, or of the task awaiting it) ends the Future at once with
 * `CancelledError`; the promise's later outcome is ignored (a rejection is not reported). A promise
 * that rejects with a `CancelledError` (a cancelled Future or Task adopted as a Promise) cancels the
 * Future, with that error. What it
 * leaves behind: the promise's work goes on unless it honours `signal` (with a plain promise, which
 * gets no signal, it always goes on). An abort listener that throws is the host's business, as with
 * any `AbortController`: Node reports it as an uncaught exception.
 * A function that throws synchronously gives a Future that failed with its error.
 *
 * @throws TypeError if `source` is neither a thenable nor a function returning one (the function
 *   has then been called).
 * @example
 * const body = yield* fromPromise((signal) => fetch(url, { signal }).then((r) => r.text()));
 */
export function fromPromise<T>(source: PromiseLike<T> | ((signal: AbortSignal) => PromiseLike<T>)): Future<T> {
  const loop = getEventLoop();
  loop._checkClosed();
  let controller: AbortController | null = null;
  let promise: unknown = source;
  if (typeof source === "function") {
    controller = new AbortController();
    try {
      promise = source(controller.signal);
    } catch (e) {
      const failed = loop.createFuture<T>();
      failed.setException(e);
      return failed;
    }
  }
  if (promise === null || typeof promise !== "object" || typeof (promise as PromiseLike<T>).then !== "function") {
    controller?.abort(); // whatever the function started is not awaited: tell it to stop
    throw new TypeError(`fromPromise: expects a Promise or a function returning one, got ${describe(promise)}`);
  }
  const fut = new PromiseFuture<T>(loop, controller);
  loop._hostAcquire();
  // Through Promise.resolve, as `await` does: a thenable whose `then` throws gives a rejection (not
  // an exception here, with the host count never released), and a thenable resolved with another
  // thenable is unwrapped. A native promise is used as is.
  Promise.resolve(promise as PromiseLike<T>).then(
    // The count is released first; a future already done (cancelled, or completed by hand) keeps
    // its state, as CPython's _copy_future_state skips a cancelled destination.
    (value) => {
      if (!fut._outstanding) return;
      fut._release();
      if (!fut.done() && !loop.isClosed()) fut.setResult(value);
    },
    (error: unknown) => {
      if (!fut._outstanding) return;
      fut._release();
      if (fut.done() || loop.isClosed()) return;
      if (error instanceof CancelledError) {
        // A cancelled source (a Future or Task adopted as a Promise, say) gives a cancelled future,
        // as CPython's wrap_future copies a cancellation, raising that same error. The signal is not
        // aborted: the source is over.
        Future.prototype.cancel.call(fut, error.message);
        fut._result = error;
      } else {
        fut.setException(error);
      }
    },
  );
  return fut;
}

Object.defineProperty(PromiseFuture, "name", { value: "Future" });

// Keep the hidden class alive and general (internal/shapes.ts).
anchorOnLoop((loop) => [new PromiseFuture(loop, null)]);
