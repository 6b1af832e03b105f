/**
 * Runs the seed's examples in order, in real time (about 25 s in all), each under a header.
 *
 *   npm run demo                            # all of them
 *   node build/examples/run-all.js 07 lock  # only those whose name contains one of the words
 */
import { examples } from "./all.js";

const filters = process.argv.slice(2);
const chosen = examples.filter(([name]) => filters.length === 0 || filters.some((f) => name.includes(f)));
if (chosen.length === 0) {
  console.error(`no example matches ${filters.join(", ")}; names: ${examples.map(([n]) => n).join(", ")}`);
  process.exitCode = 1;
}
for (const [name, main] of chosen) {
  console.log(`\n=== ${name} ===`);
  await main();
}
