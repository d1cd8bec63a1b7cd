import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  type ChainedFields,
  type ChainRow,
  computeAuditHash,
  GENESIS_HASH,
  verifyChain,
} from "./hash-chain.ts";

function event(id: number, overrides: Partial<ChainedFields> = {}): ChainedFields {
  return {
    id: BigInt(id),
    at: new Date(Date.UTC(2026, 0, 1, 8, 0, id)),
    actorId: "6f1c2a4e-0000-4000-8000-00000000000" + (id % 10),
    actorEmail: `user${id}@example.com`,
    actorRole: "APPLICANT",
    ip: "127.0.0.1",
    requestId: `req-${id}`,
    action: "auth.login",
    objectType: "User",
    objectId: `user-${id}`,
    outcome: "SUCCESS",
    details: { attempt: id, nested: { b: 2, a: 1 } },
    ...overrides,
  };
}

/** Builds a correctly chained list, the way the audit writer does. */
function buildChain(events: ChainedFields[], startHash = GENESIS_HASH): ChainRow[] {
  let prevHash = startHash;
  return events.map((e) => {
    const hash = computeAuditHash(prevHash, e);
    const row = { ...e, prevHash, hash };
    prevHash = hash;
    return row;
  });
}

const fiveRows = () => buildChain([1, 2, 3, 4, 5].map((id) => event(id)));

describe("canonicalJson", () => {
  it("sorts keys at every depth", () => {
    const a = { b: 1, a: { d: [{ z: 1, y: 2 }], c: null } };
    const b = { a: { c: null, d: [{ y: 2, z: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
  });

  it("keeps array order", () => {
    expect(canonicalJson([3, 1, 2])).toBe("[3,1,2]");
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it("ignores undefined properties", () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(canonicalJson({ x: { y: undefined, z: 2 } })).toBe('{"x":{"z":2}}');
  });

  it("serialises scalars like JSON, with undefined as null", () => {
    expect(canonicalJson(null)).toBe("null");
    expect(canonicalJson(undefined)).toBe("null");
    expect(canonicalJson("中文 \"q\"")).toBe(JSON.stringify("中文 \"q\""));
    expect(canonicalJson(1.5)).toBe("1.5");
    expect(canonicalJson(true)).toBe("true");
    expect(canonicalJson({})).toBe("{}");
  });
});

describe("computeAuditHash", () => {
  it("is deterministic and a 64-hex SHA-256", () => {
    const h1 = computeAuditHash(GENESIS_HASH, event(1));
    const h2 = computeAuditHash(GENESIS_HASH, event(1));
    expect(h1).toBe(h2);
    expect(h1).toMatch(/^[0-9a-f]{64}$/);
  });

  it("does not depend on the key order of details", () => {
    const a = computeAuditHash(GENESIS_HASH, event(1, { details: { x: 1, y: { p: 1, q: 2 } } }));
    const b = computeAuditHash(GENESIS_HASH, event(1, { details: { y: { q: 2, p: 1 }, x: 1 } }));
    expect(a).toBe(b);
  });

  it("treats id as a string whatever its type", () => {
    expect(computeAuditHash(GENESIS_HASH, event(1, { id: 7n }))).toBe(
      computeAuditHash(GENESIS_HASH, event(1, { id: "7" })),
    );
    expect(computeAuditHash(GENESIS_HASH, event(1, { id: 7 }))).toBe(
      computeAuditHash(GENESIS_HASH, event(1, { id: "7" })),
    );
  });

  it("treats null details as the empty object (the column default)", () => {
    expect(computeAuditHash(GENESIS_HASH, event(1, { details: null }))).toBe(
      computeAuditHash(GENESIS_HASH, event(1, { details: {} })),
    );
  });

  const base = event(1);
  const changes: [keyof ChainedFields, unknown][] = [
    ["id", 2n],
    ["at", new Date(base.at.getTime() + 1)],
    ["actorId", null],
    ["actorEmail", "other@example.com"],
    ["actorRole", "ADMIN"],
    ["ip", "10.0.0.1"],
    ["requestId", "req-other"],
    ["action", "auth.logout"],
    ["objectType", "Company"],
    ["objectId", "user-2"],
    ["outcome", "FAILURE"],
    ["details", { attempt: 2, nested: { b: 2, a: 1 } }],
  ];

  it("covers every field of ChainedFields", () => {
    expect(changes.map(([k]) => k).sort()).toEqual(Object.keys(base).sort());
  });

  it.each(changes)("changes when %s changes", (field, value) => {
    const original = computeAuditHash(GENESIS_HASH, base);
    expect(computeAuditHash(GENESIS_HASH, { ...base, [field]: value })).not.toBe(original);
  });

  it("changes when the previous hash changes", () => {
    expect(computeAuditHash("1".repeat(64), base)).not.toBe(computeAuditHash(GENESIS_HASH, base));
  });

  it("distinguishes null from the string 'null'", () => {
    expect(computeAuditHash(GENESIS_HASH, { ...base, ip: null })).not.toBe(
      computeAuditHash(GENESIS_HASH, { ...base, ip: "null" }),
    );
  });
});

describe("verifyChain", () => {
  it("accepts a correctly built chain of five rows", () => {
    const rows = fiveRows();
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    expect(verifyChain(rows)).toEqual({ ok: true, checked: 5, lastHash: rows[4]!.hash });
  });

  it("accepts an empty chain", () => {
    expect(verifyChain([])).toEqual({ ok: true, checked: 0, lastHash: GENESIS_HASH });
  });

  it("accepts any iterable", () => {
    const rows = fiveRows();
    function* generate() {
      yield* rows;
    }
    expect(verifyChain(generate())).toMatchObject({ ok: true, checked: 5 });
  });

  it("detects a modified field and names the row", () => {
    const rows = fiveRows();
    rows[2] = { ...rows[2]!, outcome: "FAILURE" };
    expect(verifyChain(rows)).toEqual({ ok: false, checked: 2, brokenId: "3", reason: "hash-mismatch" });
  });

  it("detects a modified details value deep inside", () => {
    const rows = fiveRows();
    rows[3] = { ...rows[3]!, details: { attempt: 4, nested: { b: 3, a: 1 } } };
    expect(verifyChain(rows)).toMatchObject({ ok: false, brokenId: "4", reason: "hash-mismatch" });
  });

  it("detects a row whose hash was recomputed after editing (the next row breaks)", () => {
    const rows = fiveRows();
    const edited = { ...rows[1]!, actorEmail: "mallory@example.com" };
    rows[1] = { ...edited, hash: computeAuditHash(edited.prevHash, edited) };
    expect(verifyChain(rows)).toEqual({ ok: false, checked: 2, brokenId: "3", reason: "prev-hash-mismatch" });
  });

  it("detects a deleted middle row on the following row", () => {
    const rows = fiveRows();
    rows.splice(2, 1); // delete id 3
    expect(verifyChain(rows)).toEqual({ ok: false, checked: 2, brokenId: "4", reason: "prev-hash-mismatch" });
  });

  it("detects a deleted first row", () => {
    const rows = fiveRows().slice(1);
    expect(verifyChain(rows)).toEqual({ ok: false, checked: 0, brokenId: "2", reason: "prev-hash-mismatch" });
  });

  it("detects reordered rows", () => {
    const rows = fiveRows();
    [rows[1], rows[2]] = [rows[2]!, rows[1]!]; // 1, 3, 2, 4, 5
    expect(verifyChain(rows)).toEqual({ ok: false, checked: 1, brokenId: "3", reason: "prev-hash-mismatch" });
  });

  it("detects a forged hash", () => {
    const rows = fiveRows();
    rows[4] = { ...rows[4]!, hash: "f".repeat(64) };
    expect(verifyChain(rows)).toEqual({ ok: false, checked: 4, brokenId: "5", reason: "hash-mismatch" });
  });

  it("verifies in pages with startHash and startCount", () => {
    const rows = buildChain([1, 2, 3, 4, 5, 6, 7].map((id) => event(id)));
    const page1 = verifyChain(rows.slice(0, 3));
    expect(page1).toEqual({ ok: true, checked: 3, lastHash: rows[2]!.hash });
    if (!page1.ok) throw new Error("unreachable");

    const page2 = verifyChain(rows.slice(3, 6), page1.lastHash, page1.checked);
    expect(page2).toEqual({ ok: true, checked: 6, lastHash: rows[5]!.hash });
    if (!page2.ok) throw new Error("unreachable");

    const page3 = verifyChain(rows.slice(6), page2.lastHash, page2.checked);
    expect(page3).toEqual({ ok: true, checked: 7, lastHash: rows[6]!.hash });
    expect(verifyChain(rows)).toEqual(page3);
  });

  it("fails a page started from the wrong hash", () => {
    const rows = fiveRows();
    expect(verifyChain(rows.slice(2))).toEqual({
      ok: false,
      checked: 0,
      brokenId: "3",
      reason: "prev-hash-mismatch",
    });
    expect(verifyChain(rows.slice(2), rows[0]!.hash, 1)).toEqual({
      ok: false,
      checked: 1,
      brokenId: "3",
      reason: "prev-hash-mismatch",
    });
  });

  it("detects tampering in a later page", () => {
    const rows = fiveRows();
    const page1 = verifyChain(rows.slice(0, 2));
    if (!page1.ok) throw new Error("page 1 should verify");
    const page2 = rows.slice(2).map((r) => (r.id === 4n ? { ...r, ip: "203.0.113.9" } : r));
    expect(verifyChain(page2, page1.lastHash, page1.checked)).toEqual({
      ok: false,
      checked: 3,
      brokenId: "4",
      reason: "hash-mismatch",
    });
  });
});
