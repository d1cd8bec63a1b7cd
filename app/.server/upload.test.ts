import { describe, expect, it } from "vitest";
import { cleanFileName, sniffMediaType } from "./upload.ts";

const bytes = (...b: number[]) => new Uint8Array(b);
const text = (s: string) => new TextEncoder().encode(s);

describe("media type by magic bytes", () => {
  it("accepts PDF, PNG, JPEG, ZIP and OFD (a ZIP named .ofd)", () => {
    expect(sniffMediaType(text("%PDF-1.7"), "x.bin")).toBe("application/pdf");
    expect(sniffMediaType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), "a")).toBe("image/png");
    expect(sniffMediaType(bytes(0xff, 0xd8, 0xff, 0xe0), "a")).toBe("image/jpeg");
    expect(sniffMediaType(bytes(0x50, 0x4b, 0x03, 0x04), "a.zip")).toBe("application/zip");
    expect(sniffMediaType(bytes(0x50, 0x4b, 0x03, 0x04), "证照.OFD")).toBe("application/ofd");
  });

  it("refuses HTML or an executable whatever the name", () => {
    expect(sniffMediaType(text("<html><body>"), "report.pdf")).toBeNull();
    expect(sniffMediaType(bytes(0x4d, 0x5a, 0x90, 0x00), "report.pdf")).toBeNull();
    expect(sniffMediaType(bytes(0x7f, 0x45, 0x4c, 0x46), "report.pdf")).toBeNull();
  });
});

describe("file names", () => {
  it("drops path parts, control and bidi characters, keeps Chinese", () => {
    expect(cleanFileName("../../etc/passwd.pdf")).toBe("passwd.pdf");
    expect(cleanFileName("C:\\\\Users\\\\x\\\\注册证.pdf")).toBe("注册证.pdf");
    expect(cleanFileName("invoice\u202Efdp.exe")).toBe("invoicefdp.exe");
    expect(cleanFileName("a\u0000b.pdf")).toBe("ab.pdf");
    expect(cleanFileName("")).toBe("document");
  });

  it("shortens 300-character names to 200 keeping the extension", () => {
    const name = cleanFileName(`${"长".repeat(300)}.pdf`);
    expect([...name].length).toBe(200);
    expect(name.endsWith(".pdf")).toBe(true);
  });
});
