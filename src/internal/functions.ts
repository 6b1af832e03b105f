/** Facts about functions that JS gives no direct test for. */

/** Whether `f` is a built-in function (`Number`, a Map's iterator method…): its source reads `[native code]`. */
export function isNativeFunction(f: unknown): boolean {
  return typeof f === "function" && /\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(f));
}
