/**
 * `Held`: what `hold()` returns, so that a JS `using` declaration releases a primitive.
 */
import { anchorShape } from "../internal/shapes.js";

/** @internal What `Held` releases: a Lock, a Semaphore or a Condition. */
export interface Releasable {
  release(): void;
}

/**
 * A held Lock, Semaphore, BoundedSemaphore or Condition: disposing it releases the primitive once.
 * `hold()` returns it, so that a `using` declaration releases at the end of the block, however the
 * block is left (return, error, or the task's cancellation):
 *
 * @example
 * function* update(lock: Lock) {
 *   using _ = yield* lock.hold();   // acquired here
 *   yield* write();
 * }                                 // released here, even if write() throws or is cancelled
 */
export class Held implements Disposable {
  /** @internal */ _target: Releasable | null;

  /** @internal */
  constructor(target: Releasable) {
    this._target = target;
  }

  /** Whether this hold was not released yet. */
  get held(): boolean {
    return this._target !== null;
  }

  /**
   * Releases the primitive; a second call does nothing (each hold is released once).
   * @throws what the primitive's `release()` throws (e.g. RuntimeError if the Lock was already
   *   released by a direct `release()` call).
   */
  release(): void {
    const t = this._target;
    if (t !== null) {
      this._target = null;
      t.release();
    }
  }

  /** The same as `release()`: what a `using` declaration calls at the end of its block. */
  [Symbol.dispose](): void {
    this.release();
  }
}

// Keep the hidden class alive and general (internal/shapes.ts).
anchorShape(new Held(null as never));
