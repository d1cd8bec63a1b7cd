import { describe, expect, it } from "vitest";
import {
  certificateState,
  monthsBefore,
  normaliseCertificateNumber,
  parseCertificateNumber,
  renewalApplyBy,
  renewalCertificateNumber,
  renewalValidity,
  tianjinCertificateNumber,
  validUntil,
  type CertificateNumber,
} from "./certificate-number.ts";

const parsed = (input: string, options?: { currentYear?: number }): CertificateNumber => {
  const r = parseCertificateNumber(input, options);
  if (!r.ok) throw new Error(`${input}: ${r.error}`);
  return r.value;
};
const errorOf = (input: string, options?: { currentYear?: number }) => {
  const r = parseCertificateNumber(input, options);
  return r.ok ? null : r.error;
};

describe("Tianjin Class II registration numbers (Art. 115)", () => {
  it("have the shape 津械注准 + year + 2 + catalogue code + 4-digit serial", () => {
    expect(tianjinCertificateNumber({ year: 2026, code: "07", serial: 12 })).toBe("津械注准20262070012");
    expect(tianjinCertificateNumber({ year: 2021, code: "22", serial: 1 })).toBe("津械注准20212220001");
    expect(tianjinCertificateNumber({ year: 2030, code: "01", serial: 9999 })).toBe("津械注准20302019999");
  });
  it("IVD reagents use code 40", () => {
    expect(tianjinCertificateNumber({ year: 2026, code: "40", serial: 3 })).toBe("津械注准20262400003");
  });
  it("differ for the same serial under another year or code (serials run per year and code)", () => {
    const a = tianjinCertificateNumber({ year: 2026, code: "07", serial: 1 });
    const b = tianjinCertificateNumber({ year: 2026, code: "08", serial: 1 });
    const c = tianjinCertificateNumber({ year: 2027, code: "07", serial: 1 });
    expect(new Set([a, b, c]).size).toBe(3);
  });
  it("round-trip through the parser", () => {
    const n = tianjinCertificateNumber({ year: 2026, code: "21", serial: 345 });
    expect(parsed(n)).toEqual({ number: n, kind: "registration", class: 2, source: "domestic", province: "津", city: null, year: 2026, code: "21", serial: 345 });
  });
  it("refuse serials outside 1–9999, bad years and codes outside the catalogue", () => {
    for (const serial of [0, -1, 10000, 1.5, Number.NaN]) expect(() => tianjinCertificateNumber({ year: 2026, code: "07", serial })).toThrow(RangeError);
    for (const year of [2013, 10000, 2026.5]) expect(() => tianjinCertificateNumber({ year, code: "07", serial: 1 })).toThrow(RangeError);
    // @ts-expect-error 23 is not a catalogue code
    expect(() => tianjinCertificateNumber({ year: 2026, code: "23", serial: 1 })).toThrow(RangeError);
  });
});

describe("renewal (延续注册) keeps the year and serial of the first registration", () => {
  it("returns the same number when the code is unchanged", () => {
    expect(renewalCertificateNumber("津械注准20212070012")).toBe("津械注准20212070012");
    expect(renewalCertificateNumber(" 津械注准 2021 2 07 0012 号")).toBe("津械注准20212070012");
  });
  it("takes a new catalogue code after reclassification, still with the old year and serial", () => {
    expect(renewalCertificateNumber("津械注准20152260045", "09")).toBe("津械注准20152090045");
  });
  it("refuses a legacy code without a new one, and numbers the window does not renew", () => {
    expect(() => renewalCertificateNumber("津械注准20152260045")).toThrow(RangeError);
    expect(() => renewalCertificateNumber("苏械注准20212070012")).toThrow(RangeError);
    expect(() => renewalCertificateNumber("国械注准20213070012")).toThrow(RangeError);
    expect(() => renewalCertificateNumber("津东械备20210012")).toThrow(RangeError);
    expect(() => renewalCertificateNumber("nonsense")).toThrow(RangeError);
  });
});

describe("parsing numbers of certificates obtained elsewhere", () => {
  it("other provinces' Class II", () => {
    expect(parsed("苏械注准20232140123")).toMatchObject({ kind: "registration", class: 2, source: "domestic", province: "苏", year: 2023, code: "14", serial: 123 });
    expect(parsed("粤械注准20222400456")).toMatchObject({ province: "粤", code: "40" });
    expect(parsed("黔械注准20212060001").province).toBe("黔");
  });
  it("national Class III", () => {
    expect(parsed("国械注准20213130789")).toMatchObject({ kind: "registration", class: 3, source: "domestic", province: "国", year: 2021, code: "13", serial: 789 });
  });
  it("imports (进) and Hong Kong / Macao / Taiwan (许), Class II or III", () => {
    expect(parsed("国械注进20202060007")).toMatchObject({ class: 2, source: "imported", province: "国" });
    expect(parsed("国械注进20213400007")).toMatchObject({ class: 3, source: "imported", code: "40" });
    expect(parsed("国械注许20223120002")).toMatchObject({ class: 3, source: "hmt", province: "国" });
  });
  it("Class I filings (备案凭证): province plus city, province alone, or 国 for imports", () => {
    expect(parsed("津东械备20210012")).toEqual({ number: "津东械备20210012", kind: "filing", class: 1, source: "domestic", province: "津", city: "东", year: 2021, code: null, serial: 12 });
    expect(parsed("苏苏械备20150123号")).toMatchObject({ province: "苏", city: "苏", year: 2015, serial: 123 });
    expect(parsed("津械备20200001")).toMatchObject({ province: "津", city: "", class: 1 });
    expect(parsed("国械备20190003")).toMatchObject({ province: "国", city: "", source: "imported", class: 1 });
  });
  it("normalise what staff paste: spaces, full-width digits, a trailing 号", () => {
    expect(normaliseCertificateNumber(" 津械注准２０２６２０７００１２号 ")).toBe("津械注准20262070012");
    expect(parsed("国械注准 2021 3 13 0789号").number).toBe("国械注准20213130789");
    expect(parsed("津械注准\u300020262070012").number).toBe("津械注准20262070012");
  });
  it("accept older catalogue codes for certificates first registered up to 2018", () => {
    expect(parsed("国械注准20153260045").code).toBe("26");
    expect(parsed("津械注准20182770001").code).toBe("77");
    expect(errorOf("津械注准20192770001")).toBe("certificate.errors.code");
    expect(errorOf("津械注准20152000001")).toBe("certificate.errors.code");
  });
  it("reject anything that is not one of the shapes", () => {
    for (const bad of [
      "",
      "津械注准2026207001", // 10 digits
      "津械注准202620700123", // 12 digits
      "津械注准20261070012", // class 1 cannot be registered
      "津械注准20264070012", // class 4
      "津械注册20262070012",
      "津械准20262070012",
      "津械备2021001",
      "津械备202100012",
      "械注准20262070012",
      "GL-2026-000123",
      "津械注准20262070012X",
    ]) {
      expect(errorOf(bad), bad).toBe("certificate.errors.format");
    }
  });
  it("reject unknown province abbreviations", () => {
    expect(errorOf("港械注准20262070012")).toBe("certificate.errors.province");
    expect(errorOf("X械注准20262070012")).toBe("certificate.errors.province");
    expect(errorOf("A东械备20210012")).toBe("certificate.errors.province");
    expect(errorOf("国京械备20210012")).toBe("certificate.errors.province");
  });
  it("reject numbers from the wrong authority: provinces register domestic Class II only", () => {
    expect(errorOf("津械注准20263070012")).toBe("certificate.errors.authority"); // Class III is national
    expect(errorOf("国械注准20262070012")).toBe("certificate.errors.authority"); // domestic Class II is provincial
    expect(errorOf("津械注进20262070012")).toBe("certificate.errors.authority"); // imports are national
    expect(errorOf("粤械注许20263070012")).toBe("certificate.errors.authority");
  });
  it("reject years before the format existed and, with currentYear, future years", () => {
    expect(errorOf("津械注准20132070012")).toBe("certificate.errors.year");
    expect(errorOf("津东械备20130012")).toBe("certificate.errors.year");
    expect(parsed("津械注准20142070012").year).toBe(2014);
    expect(errorOf("津械注准20272070012", { currentYear: 2026 })).toBe("certificate.errors.year");
    expect(parsed("津械注准20262070012", { currentYear: 2026 }).year).toBe(2026);
    expect(errorOf("津东械备20270012", { currentYear: 2026 })).toBe("certificate.errors.year");
  });
  it("reject serial 0000 and code 00", () => {
    expect(errorOf("津械注准20262070000")).toBe("certificate.errors.serial");
    expect(errorOf("津东械备20210000")).toBe("certificate.errors.serial");
    expect(errorOf("津械注准20262000012")).toBe("certificate.errors.code");
    expect(errorOf("津械注准20262230012")).toBe("certificate.errors.code");
  });
});

describe("validity: 5 years less a day", () => {
  it("ends the day before the fifth anniversary", () => {
    expect(validUntil("2026-03-10")).toBe("2031-03-09");
    expect(validUntil("2026-01-01")).toBe("2030-12-31");
    expect(validUntil("2026-12-31")).toBe("2031-12-30");
    expect(validUntil("2026-03-01")).toBe("2031-02-28");
  });
  it("is leap-day safe", () => {
    expect(validUntil("2024-02-29")).toBe("2029-02-28"); // no 2029-02-29: the anniversary is 03-01
    expect(validUntil("2027-03-01")).toBe("2032-02-29"); // 2032 is a leap year
    expect(validUntil("2023-02-28")).toBe("2028-02-27");
    expect(validUntil("2020-02-29")).toBe("2025-02-28");
  });
  it("refuses anything but a real YYYY-MM-DD date", () => {
    for (const bad of ["2026-02-30", "2025-02-29", "2026-13-01", "2026-3-1", "20260301", "", "2026-03-01T00:00:00Z"]) {
      expect(() => validUntil(bad), bad).toThrow(RangeError);
    }
  });
});

describe("renewal dates", () => {
  it("the new 5 years start the day after the old expiry", () => {
    expect(renewalValidity("2031-03-09")).toEqual({ validFrom: "2031-03-10", validUntil: "2036-03-09" });
    expect(renewalValidity("2030-12-31")).toEqual({ validFrom: "2031-01-01", validUntil: "2035-12-31" });
    expect(renewalValidity("2028-02-28")).toEqual({ validFrom: "2028-02-29", validUntil: "2033-02-28" });
    expect(renewalValidity("2029-02-28")).toEqual({ validFrom: "2029-03-01", validUntil: "2034-02-28" });
  });
  it("apply at least 6 months before expiry, clamped to the month's end", () => {
    expect(renewalApplyBy("2031-03-09")).toBe("2030-09-09");
    expect(renewalApplyBy("2031-08-31")).toBe("2031-02-28");
    expect(renewalApplyBy("2032-08-31")).toBe("2032-02-29");
    expect(renewalApplyBy("2031-03-31")).toBe("2030-09-30");
  });
  it("monthsBefore gives the reminder dates at 9, 7 and 6 months", () => {
    expect([9, 7, 6].map((m) => monthsBefore("2031-03-09", m))).toEqual(["2030-06-09", "2030-08-09", "2030-09-09"]);
    expect(monthsBefore("2031-01-15", 12)).toBe("2030-01-15");
    expect(monthsBefore("2031-05-31", 0)).toBe("2031-05-31");
  });
});

describe("certificate state for public verification", () => {
  it("is valid through the expiry day, expired after, cancelled whatever the date", () => {
    expect(certificateState({ validUntil: "2031-03-09", cancelled: false }, "2031-03-09")).toBe("valid");
    expect(certificateState({ validUntil: "2031-03-09", cancelled: false }, "2031-03-10")).toBe("expired");
    expect(certificateState({ validUntil: "2031-03-09", cancelled: true }, "2026-03-10")).toBe("cancelled");
  });
});
