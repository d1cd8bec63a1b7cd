/**
 * The role × page matrix for the README (`npm run docs:routes`): rewrites the
 * block between the route-matrix markers in README.md and prints it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { renderRouteMatrix } from "#app/route-access.ts";

const readme = path.join(import.meta.dirname, "..", "README.md");
const matrix = renderRouteMatrix();
const text = readFileSync(readme, "utf8");
const block = /(<!-- route-matrix:start -->\n)[\s\S]*?(\n<!-- route-matrix:end -->)/;
if (!block.test(text)) {
  console.error("README.md has no <!-- route-matrix:start --> … <!-- route-matrix:end --> block");
  process.exit(1);
}
writeFileSync(readme, text.replace(block, (_, start: string, end: string) => `${start}${matrix}${end}`));
console.log(matrix);
