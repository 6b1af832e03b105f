/**
 * How a loop lives on the host's event loop: the host objects it uses (one timer, one message
 * channel) and the ways back into the loop. Only globals that browsers, Deno and Bun have too:
 * `setTimeout`, `queueMicrotask`, `MessageChannel`.
 *
 * Every way back runs the loop's batch from a microtask: a batch started straight from a timer or a
 * message callback would pay twice as much for every exception thrown in it (V8 builds a message
 * object for the host's handler), and a cancellation is a throw.
 *
 * Keeping these objects here, apart from the loop's hot path, matters to V8 too: a full GC that
 * finds no MessageChannel alive renews its hidden classes, and only the code that touches it is
 * thrown away.
 */

/**
 * The longest delay a host timer takes (2^31-1 ms, about 24.8 days): Node fires a longer one after
 * 1 ms, with a TimeoutOverflowWarning, and browsers overflow too. A longer wait is armed for this
 * long; the loop, woken early, finds its timer not due yet and arms the host timer again.
 */
export const MAX_HOST_DELAY = 2 ** 31 - 1;

export class HostDriver {
  private _timer: ReturnType<typeof setTimeout> | undefined = undefined;
  private _channel: MessageChannel | null = null;
  private _portRefd = false;
  /** Queues the batch as a microtask: what host timers and messages call. */
  private readonly _fire: () => void;

  constructor(private readonly _batch: () => void) {
    this._fire = () => queueMicrotask(this._batch);
  }

  /** Runs the batch at the next microtask checkpoint, cancelling a pending timer. */
  soon(): void {
    this.clearTimer();
    queueMicrotask(this._batch);
  }

  /**
   * Runs the batch after `ms` of real time (finite; the host clamps and rounds as it likes), or after
   * MAX_HOST_DELAY if `ms` is longer.
   */
  after(ms: number): void {
    this._timer = setTimeout(this._fire, Math.min(ms, MAX_HOST_DELAY));
  }

  /** Calls `f` (not the batch) after `ms` of real time (finite), at most MAX_HOST_DELAY, on the host timer. */
  callAfter(ms: number, f: () => void): void {
    this._timer = setTimeout(() => {
      this._timer = undefined;
      f();
    }, Math.min(ms, MAX_HOST_DELAY));
  }

  clearTimer(): void {
    if (this._timer !== undefined) {
      clearTimeout(this._timer);
      this._timer = undefined;
    }
  }

  /**
   * Lets the host run its own callbacks (I/O, promise reactions, timers), then runs the batch: a
   * message is a macrotask, unlike a microtask, and unlike `setTimeout(0)` it is not clamped. The port
   * keeps a Node process alive only while such a message is in flight.
   */
  yieldToHost(): void {
    let ch = this._channel;
    if (ch === null) {
      ch = this._channel = new MessageChannel();
      ch.port1.onmessage = this._fire;
    }
    (ch.port1 as { ref?: () => void }).ref?.();
    this._portRefd = true;
    ch.port2.postMessage(null);
  }

  /** The batch has started: no host object of ours needs to keep the process alive now. */
  settle(): void {
    this.clearTimer();
    if (this._portRefd) {
      this._portRefd = false;
      (this._channel?.port1 as { unref?: () => void } | undefined)?.unref?.();
    }
  }

  /** Frees the channel (the loop is closed). */
  close(): void {
    this.clearTimer();
    if (this._channel !== null) {
      this._channel.port1.close();
      this._channel.port2.close();
      this._channel = null;
    }
  }
}
