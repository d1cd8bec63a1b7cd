import { describe, expect, it } from "vitest";
import { createI18n } from "#app/i18n/i18n.ts";
import { en } from "#app/i18n/en.ts";
import { zhCN } from "#app/i18n/zh-CN.ts";
import { attachmentDisposition } from "#app/utils/content-disposition.ts";
import { csvSafe, EXPORT_COLUMNS, exportCells, exportFileName, exportHeader, shanghaiDateTime } from "./queue-export.ts";
import type { QueueRow } from "./queue-query.server.ts";

const zh = createI18n("zh-CN", zhCN).t;
const english = createI18n("en", en).t;

const row: QueueRow = {
  id: "3f0c2a8e-1b7d-4c3a-9e51-2d4f6a8b0c1e",
  number: "GL-2026-000123",
  company: "天津瑞康医疗器械有限公司",
  product: "上肢康复训练器",
  code: "19",
  type: "FIRST",
  status: "IN_REVIEW",
  stage: "review",
  advisorId: null,
  advisorName: null,
  clock: { stage: "review", elapsed: 62, limit: 60, remaining: -2, colour: "red", paused: false, dueOn: "2026-11-26", provisional: false },
  openGaps: 3,
  nextDeferralDue: "2026-12-01",
  overdueDeferrals: 1,
  lastActivityAt: "2026-11-28T02:00:00.000Z",
  lastActivityOn: "2026-11-28",
  submittedAt: "2026-08-01T01:30:00.000Z",
};

describe("queue export cells", () => {
  it("has a header per column in the reader's language", () => {
    expect(exportHeader(zh)).toHaveLength(EXPORT_COLUMNS.length);
    expect(exportHeader(zh)[0]).toBe("编号");
    expect(exportHeader(english)[0]).toBe("Number");
    expect(exportHeader(zh).every((h) => h && !h.startsWith("queue."))).toBe(true);
  });

  it("writes words, numbers and Beijing times", () => {
    expect(exportCells(row, zh)).toEqual([
      "GL-2026-000123",
      "天津瑞康医疗器械有限公司",
      "上肢康复训练器",
      "19",
      "首次注册",
      "技术审评中",
      "技术审评",
      "未分配",
      "超时",
      62,
      60,
      -2,
      "2026-11-26",
      "否",
      3,
      "2026-12-01",
      1,
      "2026-11-28 10:00:00",
      "2026-08-01 09:30:00",
    ]);
  });

  it("says so when no clock runs", () => {
    const cells = exportCells({ ...row, status: "APPROVED", stage: null, clock: null, advisorName: "李辅导" }, english);
    expect(cells.slice(5, 14)).toEqual(["Approved", "", "李辅导", "no clock", "", "", "", "", ""]);
  });
});

describe("Beijing time", () => {
  it("is the +08:00 wall time, across midnight too", () => {
    expect(shanghaiDateTime("2026-11-28T02:00:00.000Z")).toBe("2026-11-28 10:00:00");
    expect(shanghaiDateTime("2026-12-31T16:30:05.123Z")).toBe("2027-01-01 00:30:05");
  });
});

describe("queue export file", () => {
  it("is named in the reader's language with the date", () => {
    expect(exportFileName(zh, "2026-11-28", "xlsx")).toBe("办件队列-2026-11-28.xlsx");
    expect(exportFileName(english, "2026-11-28", "csv")).toBe("case-queue-2026-11-28.csv");
  });

  it("is an attachment whose Chinese name survives (filename* UTF-8) with an ASCII fallback", () => {
    const d = attachmentDisposition("办件队列-2026-11-28.csv");
    expect(d).toBe(`attachment; filename="____-2026-11-28.csv"; filename*=UTF-8''${encodeURIComponent("办件队列")}-2026-11-28.csv`);
    expect(attachmentDisposition(`a"b\\c(1)'.csv`)).toBe(`attachment; filename="a_b_c(1)'.csv"; filename*=UTF-8''a%22b%5Cc%281%29%27.csv`);
  });

  it("defuses cells a spreadsheet would run as formulas", () => {
    expect(csvSafe("=HYPERLINK(\"http://x\")")).toBe("'=HYPERLINK(\"http://x\")");
    expect(csvSafe("+1")).toBe("'+1");
    expect(csvSafe("-1")).toBe("'-1");
    expect(csvSafe("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvSafe("天津=公司")).toBe("天津=公司");
    expect(csvSafe(-2)).toBe(-2);
  });
});
