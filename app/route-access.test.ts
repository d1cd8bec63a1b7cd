import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderRouteMatrix } from "./route-access.ts";

describe("README role × page matrix", () => {
  it("is the one generated from the route access table (npm run docs:routes)", () => {
    const readme = readFileSync(path.join(import.meta.dirname, "..", "README.md"), "utf8");
    const block = /<!-- route-matrix:start -->\n([\s\S]*?)\n<!-- route-matrix:end -->/.exec(readme)?.[1];
    expect(block).toBe(renderRouteMatrix());
  });
});
