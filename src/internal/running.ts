/**
 * Which loop is running now, and the "current" loop of `getEventLoop()` (events.py's globals).
 *
 * A loop is "running" only while it executes a batch of callbacks: between batches the host (Node,
 * a browser) runs its own callbacks, and code there sees no running loop, as plain async code should.
 */
import { RuntimeError } from "../exceptions.js";
import { describe } from "../coroutines.js";
import type { EventLoop } from "../base-events.js";

let running: EventLoop | null = null;
let current: EventLoop | null = null;
let factory: (() => EventLoop) | null = null;
/** Whether `setEventLoop` was ever called (CPython's `_set_called`): then no loop is made for a null one. */
let setCalled = false;

/** @internal Set by base-events.ts so that this module needs no import of the loop class. */
export function setDefaultLoopFactory(f: () => EventLoop): void {
  factory = f;
}

/** @internal The running loop or null, without throwing. */
export function runningLoopOrNull(): EventLoop | null {
  return running;
}

/** @internal Marks `loop` running for a batch; returns the previous value to restore. */
export function enterLoop(loop: EventLoop | null): EventLoop | null {
  const prev = running;
  running = loop;
  return prev;
}

/**
 * The loop running the current callback or task step.
 * @throws RuntimeError when called outside a running loop (e.g. from plain async code).
 */
export function getRunningLoop(): EventLoop {
  if (running === null) throw new RuntimeError("no running event loop");
  return running;
}

/**
 * The running loop if there is one, else the current loop (set by `setEventLoop`), creating and
 * setting a new one if none was ever set or it was closed (Python 3.11's behaviour, without the
 * deprecation warning; CPython hands back a closed loop).
 * @throws RuntimeError after `setEventLoop(null)` (CPython: "There is no current event loop in thread …").
 */
export function getEventLoop(make: (() => EventLoop) | null = factory): EventLoop {
  if (running !== null) return running;
  if (current === null && setCalled) {
    throw new RuntimeError("There is no current event loop: setEventLoop(null) was called; set one with setEventLoop(loop)");
  }
  if (current === null || current.isClosed()) {
    if (make === null) throw new RuntimeError("no event loop implementation is loaded");
    current = make();
  }
  return current;
}

/** @internal Sets the current loop, unchecked (events.ts's `setEventLoop` checks it). */
export function setCurrentLoop(loop: EventLoop | null): void {
  current = loop;
  setCalled = true;
}

/**
 * @internal Checks that `loop`, given by a caller (`ensureFuture(aw, loop)`, `{ loop }`), is an event
 * loop. By its methods: this module does not import the loop class (base-events.ts imports it).
 * @throws TypeError naming `where` and what was given.
 */
export function checkLoop(loop: unknown, where: string): asserts loop is EventLoop {
  const l = loop as Partial<EventLoop> | null;
  if (typeof l === "object" && l !== null && typeof l._checkClosed === "function" && typeof l.createTask === "function") return;
  throw new TypeError(`${where}: the loop must be an EventLoop, got ${describe(loop)}`);
}
