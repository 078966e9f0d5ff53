// Assembles the deck that crunch embeds (config.mirage: kv_ro("target/deck")), from
//   deck/                      the talk: index.html, its CSS and pictures (the sources)
//   node_modules/reveal.js     the presentation framework (package.json, exact version)
//   target/deck-graph/*.dot    the device graphs that mirage:describe -Dmirage.dot wrote
// The graphs are drawn by Graphviz compiled to WebAssembly (@viz-js/viz, pinned like reveal.js),
// so no Graphviz is needed on the host and every machine draws the same bytes. Nothing here
// reads the clock or the network: the same inputs give the same deck, byte for byte.
// The Maven build runs it (npm run build) in the initialize phase; it can also be run by hand
// after ../../mvnw initialize has written the graphs.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { instance } from "@viz-js/viz";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "target", "deck");
const graphs = join(here, "target", "deck-graph");
const reveal = join(here, "node_modules", "reveal.js");

// what the deck uses of reveal.js's dist/ (the rest, such as the 900 kB highlight plugin, stays out)
const REVEAL_FILES = [
  "dist/reset.css",
  "dist/reveal.css",
  "dist/reveal.js",
  "dist/theme/white.css",
  "dist/plugin/notes.js",
  "LICENSE",
];

function fail(message) {
  console.error("build-deck: " + message);
  process.exit(1);
}

if (!existsSync(reveal)) {
  fail("node_modules/reveal.js is missing: run npm ci first (the Maven build does)");
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync(join(here, "deck"), out, { recursive: true });
for (const f of REVEAL_FILES) {
  const target = join(out, "reveal.js", f.replace(/^dist\//, ""));
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(reveal, f), target);
}

if (!existsSync(graphs)) {
  fail("target/deck-graph is missing: mirage:describe writes it (../../mvnw initialize)");
}
const dots = readdirSync(graphs).filter((f) => f.endsWith(".dot")).sort();
if (dots.length === 0) {
  fail("no .dot file in target/deck-graph: mirage:describe -Dmirage.dot writes them");
}
const viz = await instance();
mkdirSync(join(out, "graph"), { recursive: true });
for (const dot of dots) {
  const svg = viz.renderString(readFileSync(join(graphs, dot), "utf8"), { format: "svg", engine: "dot" });
  writeFileSync(join(out, "graph", dot.replace(/\.dot$/, ".svg")), svg);
}
console.log("build-deck: target/deck assembled (reveal.js " +
  JSON.parse(readFileSync(join(reveal, "package.json"), "utf8")).version + ", " + dots.length + " graphs)");
