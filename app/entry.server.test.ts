import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { renderToPipeableStream } from "react-dom/server";
import { createElement } from "react";
import { DropNulBytes } from "./entry.server.tsx";

describe("HTML stream", () => {
  it("drops the NUL bytes React 18.3 leaves where a Chinese character straddles its buffer", async () => {
    // Enough Chinese text in many small chunks to cross the renderer's 2 KiB view at a multi-byte character.
    const items = Array.from({ length: 400 }, (_, i) => createElement("li", { key: i }, `第${i}项：补充资料`));
    const html = await new Promise<string>((resolve, reject) => {
      const { pipe } = renderToPipeableStream(createElement("ul", null, items), {
        onAllReady() {
          const out = new DropNulBytes();
          pipe(out);
          text(out).then(resolve, reject);
        },
        onShellError: reject,
      });
    });
    expect(html).not.toContain("\0");
    expect(html).toContain("第399项：补充资料");
  });

  it("passes other bytes through unchanged", async () => {
    const out = Readable.from([Buffer.from("补正\0材料", "utf8")]).pipe(new DropNulBytes());
    expect(await text(out)).toBe("补正材料");
  });
});
