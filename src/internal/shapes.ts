/**
 * Shape anchors: one object of each hot class, kept for the life of the process.
 *
 * V8 gives the objects of a class a chain of hidden classes ("maps"). A map records, per field,
 * whether it was ever reassigned and which types it held, and optimized code depends on both. Only
 * live objects keep a map alive: when a full GC finds no Future left (between two `run()` calls, or
 * in an application that goes idle), it frees the maps, and the next objects rebuild them from
 * scratch, with every field "constant" again. The first reassignment of each field then throws away
 * the optimized hot path, which is optimized again, and again after the next such GC. On the
 * ping-pong benchmark, that re-warming cost a fifth of each run.
 *
 * An anchor keeps its class's map alive, and `anchorShape` first reassigns each of its fields with
 * values of other types, so that the map is already as general as real use makes it and nothing
 * is deoptimized later. A number field stays a number field (so a field of doubles keeps its
 * unboxed storage).
 * @internal
 */
import type { EventLoop } from "../base-events.js";

const anchors: object[] = [];

/** A value of a type no field of ours holds: widens a field's recorded type to "any object". */
const OTHER = Object.freeze({});

/** Keeps `o`'s hidden class alive and general (see the header); returns `o`. */
export function anchorShape<T extends object>(o: T): T {
  const fields = o as Record<string, unknown>;
  for (const k of Object.keys(fields)) {
    const v = fields[k];
    if (typeof v === "number") {
      fields[k] = v === 0 ? 1 : 0;
    } else {
      fields[k] = 0;
      fields[k] = OTHER;
    }
    fields[k] = v;
  }
  anchors.push(o);
  return o;
}

let anchorLoop: EventLoop | null = null;
let pending: ((loop: EventLoop) => object[])[] | null = [];

/**
 * Anchors the objects `make` returns, made on a loop of their own that never runs: at once if that
 * loop exists, else when the first loop is created (by then every module is loaded).
 */
export function anchorOnLoop(make: (loop: EventLoop) => object[]): void {
  if (anchorLoop !== null) for (const o of make(anchorLoop)) anchorShape(o);
  else pending!.push(make);
}

/** @internal Called by the EventLoop constructor: `newLoop()` makes the anchors' loop, once. */
export function anchorPending(newLoop: () => EventLoop): void {
  const makers = pending;
  if (makers === null) return;
  pending = null;
  anchorLoop = anchorShape(newLoop());
  for (const make of makers) for (const o of make(anchorLoop)) anchorShape(o);
}
