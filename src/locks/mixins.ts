/**
 * What every primitive shares (asyncio's mixins.py): the loop binding, and visible state in
 * `toString()` and Node's `util.inspect`.
 */
import { RuntimeError } from "../exceptions.js";
import { getRunningLoop } from "../internal/running.js";
import type { EventLoop } from "../base-events.js";
import { inspectAsString } from "../internal/inspect.js";

/**
 * @internal Base of every primitive. A primitive is bound to the loop that runs the first call that
 * has to wait (an uncontended `acquire()` binds nothing, as in CPython), and a later wait from another
 * loop is a RuntimeError.
 */
export abstract class LoopBound {
  /** @internal */ _loop: EventLoop | null = null;
  /**
   * @internal The primitive this one is a part of (a Barrier's Condition, a Condition's own Lock, a
   * Queue's Event), named in errors instead of this one: the user never made this one.
   */
  _owner: LoopBound | null = null;

  /**
   * @internal The running loop, binding this primitive to it on first use.
   * @throws RuntimeError outside a running loop, or if bound to a different loop.
   */
  _getLoop(): EventLoop {
    const loop = getRunningLoop();
    const bound = this._loop;
    if (bound === null) this._loop = loop;
    else if (bound !== loop) {
      let named: LoopBound = this;
      while (named._owner !== null) named = named._owner;
      throw new RuntimeError(`${named.toString()} is bound to a different event loop`);
    }
    return loop;
  }

  /** The state between brackets, e.g. `locked, waiters:2`. */
  protected abstract _describe(): string;

  /** `<Lock [locked, waiters:2]>`: the class name and the state, as in CPython's repr. */
  toString(): string {
    return `<${this.constructor.name} [${this._describe()}]>`;
  }
}

// Node's `util.inspect` (and `console.log`) show the same as `toString()`.
inspectAsString(LoopBound);
