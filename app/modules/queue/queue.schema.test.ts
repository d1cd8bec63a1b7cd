import { describe, expect, it } from "vitest";
import { encodeCursor } from "./queue-cursor.ts";
import { parseExportQuery, parseQueueQuery, queueParams, queueSearch, ZBulkReassign, type TQueueQuery } from "./queue.schema.ts";

const ID = "3f0c2a8e-1b7d-4c3a-9e51-2d4f6a8b0c1e";
const parse = (qs: string) => parseQueueQuery(new URLSearchParams(qs));
const ok = (qs: string): TQueueQuery => {
  const r = parse(qs);
  if (!r.ok) throw new Error(`${qs}: ${r.problems.join("; ")}`);
  return r.value;
};

describe("queue query", () => {
  it("defaults to open dossiers, most urgent clock first, no cursor", () => {
    expect(ok("")).toEqual({ scope: "open", overdue: false, sort: "due", dir: "asc", cursor: null });
  });

  it("reads every filter", () => {
    const q = ok(`scope=all&stage=review&colour=red&advisor=${ID}&code=07&company=瑞康&from=2026-01-01&to=2026-03-31&overdue=1&q=GL-2026&sort=company&dir=desc`);
    expect(q).toEqual({
      scope: "all",
      stage: "review",
      colour: "red",
      advisor: ID,
      code: "07",
      company: "瑞康",
      from: "2026-01-01",
      to: "2026-03-31",
      overdue: true,
      q: "GL-2026",
      sort: "company",
      dir: "desc",
      cursor: null,
    });
    expect(ok("advisor=none").advisor).toBe("none");
  });

  it("takes each column's own default direction", () => {
    expect(ok("sort=gaps").dir).toBe("desc");
    expect(ok("sort=activity").dir).toBe("desc");
    expect(ok("sort=number").dir).toBe("asc");
  });

  it("drops empty fields (a GET form sends them all) and trims, and ignores Remix's own parameters", () => {
    expect(ok("q=&stage=&colour=&advisor=&code=&company=%20%20&from=&to=&index=&_routes=routes%2Fwindow._index")).toEqual(ok(""));
    expect(ok("q=%20%E7%91%9E%E5%BA%B7%20").q).toBe("瑞康");
  });

  it.each([
    "sort=x;drop table dossier",
    "sort=clock",
    "dir=up",
    "scope=drafts",
    "stage=draft",
    "colour=blue",
    "advisor=bob",
    "code=99",
    "from=2026-02-30",
    "from=yesterday",
    "from=2026-03-01&to=2026-02-01",
    "overdue=yes",
    "page=2",
    "offset=100",
    "__proto__=x",
    "stage=review&stage=handover",
    "stage=review&stage=",
    `q=${"x".repeat(101)}`,
    "after=garbage",
    "after=x&before=y",
  ])("refuses %s", (qs) => {
    expect(parse(qs).ok).toBe(false);
  });

  it("accepts a cursor of its own sort and direction only, with a value of the column's type", () => {
    const after = encodeCursor({ sort: "due", dir: "asc", value: "2026-12-01", id: ID });
    expect(ok(`after=${after}`).cursor).toEqual({ direction: "after", value: "2026-12-01", id: ID });
    expect(ok(`before=${after}`).cursor).toEqual({ direction: "before", value: "2026-12-01", id: ID });
    // Made for another sort or direction: the rows it skips would be the wrong ones.
    expect(parse(`sort=company&after=${after}`).ok).toBe(false);
    expect(parse(`dir=desc&after=${after}`).ok).toBe(false);
    // A value SQL could not cast.
    expect(parse(`after=${encodeCursor({ sort: "due", dir: "asc", value: "soon", id: ID })}`).ok).toBe(false);
    expect(parse(`sort=gaps&after=${encodeCursor({ sort: "gaps", dir: "desc", value: "1; drop", id: ID })}`).ok).toBe(false);
    expect(ok(`sort=type&after=${encodeCursor({ sort: "type", dir: "asc", value: "CHANGE", id: ID })}`).cursor?.value).toBe("CHANGE");
    expect(parse(`sort=type&after=${encodeCursor({ sort: "type", dir: "asc", value: "OTHER", id: ID })}`).ok).toBe(false);
  });

  it("repeated parameters are refused", () => {
    expect(queueParams(new URLSearchParams("a=1&a=2"))).toBeNull();
    expect(queueParams(new URLSearchParams("a=1&b=2"))).toEqual({ a: "1", b: "2" });
  });
});

describe("queue export query", () => {
  it("needs a format and takes the queue's filters and sort but no cursor", () => {
    const r = parseExportQuery(new URLSearchParams("format=csv&stage=review&sort=company"));
    expect(r.ok && r.value).toEqual({ format: "csv", query: { scope: "open", stage: "review", overdue: false, sort: "company", dir: "asc", cursor: null } });
    expect(parseExportQuery(new URLSearchParams("stage=review")).ok).toBe(false);
    expect(parseExportQuery(new URLSearchParams("format=pdf")).ok).toBe(false);
    expect(parseExportQuery(new URLSearchParams(`format=xlsx&after=${encodeCursor({ sort: "due", dir: "asc", value: "2026-12-01", id: ID })}`)).ok).toBe(false);
  });
});

describe("queue links", () => {
  it("write only what differs from the defaults and parse back to the same view", () => {
    const base = ok("");
    expect(queueSearch(base).toString()).toBe("");
    const view = ok("scope=ended&stage=review&overdue=1&sort=gaps&dir=asc&q=天津");
    const search = queueSearch(view);
    expect(ok(search.toString())).toEqual(view);
    expect(queueSearch(view, { sort: "gaps", dir: "desc" }).has("dir")).toBe(false);
    expect(queueSearch(base, { after: "abc" }).toString()).toBe("after=abc");
    expect(queueSearch(base, { format: "csv" }).toString()).toBe("format=csv");
  });
});

describe("bulk reassignment form", () => {
  const advisorId = "0b3f6f3e-5d1a-4b8e-8f7a-1c2d3e4f5a6b";
  it("takes one ticked row or several, and needs at least one", () => {
    expect(ZBulkReassign.safeParse({ dossierIds: ID, advisorId, reason: "调整工作量" }).data?.dossierIds).toEqual([ID]);
    expect(ZBulkReassign.safeParse({ dossierIds: [ID, ID], advisorId, reason: "x" }).success).toBe(true);
    const none = ZBulkReassign.safeParse({ dossierIds: false, advisorId, reason: "x" });
    expect(none.error?.issues[0]).toMatchObject({ path: ["dossierIds"], message: "queue.bulk.errors.noneChosen" });
    expect(ZBulkReassign.safeParse({ advisorId, reason: "x" }).success).toBe(false);
  });

  it("needs an advisor and a reason", () => {
    const r = ZBulkReassign.safeParse({ dossierIds: [ID], advisorId: "", reason: "  " });
    expect(r.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["advisorId", "errors.choose"],
      ["reason", "errors.required"],
    ]);
  });

  it("takes at most one page of rows", () => {
    const ids = Array.from({ length: 51 }, (_, i) => `3f0c2a8e-1b7d-4c3a-9e51-${String(i).padStart(12, "0")}`);
    expect(ZBulkReassign.safeParse({ dossierIds: ids, advisorId, reason: "x" }).error?.issues[0]?.message).toBe("queue.bulk.errors.tooMany");
  });
});
