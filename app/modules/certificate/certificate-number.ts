import { CATALOGUE_CODES, isCatalogueCode, type CatalogueCode } from "#app/modules/dossier/catalogue-codes.ts";

/*
 * Certificate numbers (SAMR Order 47, DOMAIN.md "Numbers and codes").
 * Registration (Art. 115): ×1 械注 ×2 YYYY C NN SSSS — ×1 the province
 * abbreviation for domestic Class II, 国 for Class III and imports; ×2 准
 * domestic, 进 import, 许 Hong Kong / Macao / Taiwan; YYYY the year of first
 * registration; C the class; NN the catalogue code (IVD reagents 40); SSSS the
 * serial of first registration. Class I filing (Art. 116): ×1 械备 YYYY SSSS,
 * ×1 the province abbreviation plus the city's for domestic filings, 国 for
 * imported ones. Pure: the caller allocates serials and stores numbers.
 */

/** Province-level abbreviations that may open a number; the alternates (黔/贵, 滇/云, 陇/甘, 秦/陕, 蜀/川) are both in use. */
export const PROVINCES = {
  京: "北京", 津: "天津", 冀: "河北", 晋: "山西", 蒙: "内蒙古", 辽: "辽宁", 吉: "吉林", 黑: "黑龙江",
  沪: "上海", 苏: "江苏", 浙: "浙江", 皖: "安徽", 闽: "福建", 赣: "江西", 鲁: "山东", 豫: "河南",
  鄂: "湖北", 湘: "湖南", 粤: "广东", 桂: "广西", 琼: "海南", 渝: "重庆", 川: "四川", 蜀: "四川",
  黔: "贵州", 贵: "贵州", 滇: "云南", 云: "云南", 藏: "西藏", 陕: "陕西", 秦: "陕西", 甘: "甘肃",
  陇: "甘肃", 青: "青海", 宁: "宁夏", 新: "新疆",
} as const;
export type Province = keyof typeof PROVINCES;
/** NMPA (national) certificates and filings. */
export const NATIONAL = "国";
/** The green channel's own review centre issues Tianjin Class II certificates. */
export const TIANJIN: Province = "津";
export const IVD_CODE: CatalogueCode = "40";
/**
 * Numbers of this shape exist since 2014 (Order 4 / Order 650). Codes of
 * certificates first registered up to 2018 may come from the 2002 catalogue
 * (the 2017 catalogue applies from 2018-08-01): those are only checked to be 01–99.
 */
export const FIRST_YEAR = 2014;
export const LAST_LEGACY_CODE_YEAR = 2018;

export type CertificateSource = "domestic" | "imported" | "hmt";

export interface CertificateNumber {
  /** Normalised: no spaces, ASCII digits, no trailing 号; use it as the unique key. */
  number: string;
  kind: "registration" | "filing";
  class: 1 | 2 | 3;
  source: CertificateSource;
  /** Province abbreviation, or 国 for NMPA. */
  province: Province | typeof NATIONAL;
  /** Filings only: the city abbreviation after the province (may be empty); null otherwise. */
  city: string | null;
  year: number;
  /** Two-digit catalogue code; null for Class I filings. */
  code: string | null;
  serial: number;
}

export type CertificateNumberError =
  | "certificate.errors.format"
  | "certificate.errors.province"
  | "certificate.errors.authority"
  | "certificate.errors.year"
  | "certificate.errors.code"
  | "certificate.errors.serial";

export type ParseResult = { ok: true; value: CertificateNumber } | { ok: false; error: CertificateNumberError };

const pad4 = (n: number) => String(n).padStart(4, "0");

function assertYearAndSerial(year: number, serial: number) {
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > 9999) throw new RangeError(`bad certificate year ${year}`);
  if (!Number.isInteger(serial) || serial < 1 || serial > 9999) throw new RangeError(`bad certificate serial ${serial}`);
}

/**
 * A Tianjin domestic Class II registration number: 津械注准 YYYY 2 NN SSSS.
 * `serial` is the next free serial for (year, code), allocated by the caller.
 */
export function tianjinCertificateNumber(input: { year: number; code: CatalogueCode; serial: number }): string {
  assertYearAndSerial(input.year, input.serial);
  if (!isCatalogueCode(input.code)) throw new RangeError(`bad catalogue code ${String(input.code)}`);
  return `${TIANJIN}械注准${input.year}2${input.code}${pad4(input.serial)}`;
}

/**
 * 延续注册 keeps the year and serial of the first registration (Art. 115).
 * The catalogue code stays unless the product was reclassified (`code`).
 */
export function renewalCertificateNumber(original: string, code?: CatalogueCode): string {
  const parsed = parseCertificateNumber(original);
  if (!parsed.ok) throw new RangeError(`not a certificate number: ${original} (${parsed.error})`);
  const { value } = parsed;
  if (value.province !== TIANJIN || value.kind !== "registration" || value.source !== "domestic") {
    throw new RangeError(`not a Tianjin Class II certificate: ${original}`);
  }
  const nextCode = code ?? value.code;
  if (!isCatalogueCode(nextCode)) throw new RangeError(`catalogue code ${String(nextCode)} is not in the 2017 catalogue`);
  return `${TIANJIN}械注准${value.year}2${nextCode}${pad4(value.serial)}`;
}

/** Trims, drops inner spaces and a trailing 号, turns full-width digits into ASCII. */
export function normaliseCertificateNumber(input: string): string {
  return input
    .replace(/[\s\u3000]+/g, "")
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/号$/, "");
}

const REGISTRATION = /^(.)械注([准进许])(\d{4})([23])(\d{2})(\d{4})$/u;
const FILING = /^(.)(\p{Script=Han}{0,3}?)械备(\d{4})(\d{4})$/u;
const isProvince = (s: string): s is Province => Object.hasOwn(PROVINCES, s);

/**
 * Parses a registration or filing number as window staff enter it for a
 * certificate obtained elsewhere. `currentYear` (optional) rejects future years.
 */
export function parseCertificateNumber(input: string, options: { currentYear?: number } = {}): ParseResult {
  const number = normaliseCertificateNumber(input);
  const fail = (error: CertificateNumberError): ParseResult => ({ ok: false, error });
  const yearOk = (year: number) => year >= FIRST_YEAR && (options.currentYear === undefined || year <= options.currentYear);

  const reg = REGISTRATION.exec(number);
  if (reg) {
    const [, issuer, kind, y, c, code, s] = reg as unknown as [string, string, string, string, string, string, string];
    const year = Number(y);
    const cls = Number(c) as 2 | 3;
    if (issuer !== NATIONAL && !isProvince(issuer)) return fail("certificate.errors.province");
    const source: CertificateSource = kind === "准" ? "domestic" : kind === "进" ? "imported" : "hmt";
    // Provinces register domestic Class II only; NMPA registers Class III and every import.
    const national = source !== "domestic" || cls === 3;
    if ((issuer === NATIONAL) !== national) return fail("certificate.errors.authority");
    if (!yearOk(year)) return fail("certificate.errors.year");
    if (code === "00" || (year > LAST_LEGACY_CODE_YEAR && !isCatalogueCode(code))) return fail("certificate.errors.code");
    if (s === "0000") return fail("certificate.errors.serial");
    return { ok: true, value: { number, kind: "registration", class: cls, source, province: issuer, city: null, year, code, serial: Number(s) } };
  }

  const filing = FILING.exec(number);
  if (filing) {
    const [, issuer, city, y, s] = filing as unknown as [string, string, string, string, string];
    const year = Number(y);
    if (issuer === NATIONAL) {
      if (city) return fail("certificate.errors.province");
    } else if (!isProvince(issuer)) return fail("certificate.errors.province");
    if (!yearOk(year)) return fail("certificate.errors.year");
    if (s === "0000") return fail("certificate.errors.serial");
    const source: CertificateSource = issuer === NATIONAL ? "imported" : "domestic";
    return { ok: true, value: { number, kind: "filing", class: 1, source, province: issuer, city, year, code: null, serial: Number(s) } };
  }
  return fail("certificate.errors.format");
}

/** Name of a catalogue code in the 2017 catalogue, if it is one. */
export const catalogueName = (code: string | null) => (code !== null && isCatalogueCode(code) ? CATALOGUE_CODES[code] : null);

/* ---- Validity (DOMAIN.md: valid 5 years; renewal starts the day after the old expiry, apply ≥ 6 months before) ---- */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(date: string): [number, number, number] {
  const m = DATE.exec(date);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const t = new Date(Date.UTC(y, mo - 1, d));
    if (t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d) return [y, mo, d];
  }
  throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
}

const format = (t: Date) => t.toISOString().slice(0, 10);
// Date.UTC rolls over (Feb 29 in a common year becomes Mar 1, day 0 is the previous month's last day).
const utc = (y: number, mo: number, d: number) => new Date(Date.UTC(y, mo - 1, d));

/**
 * 有效期至: 5 years less a day. From 2024-02-29 the fifth anniversary falls on
 * 2029-03-01, so the certificate runs to 2029-02-28.
 */
export function validUntil(approvalDate: string): string {
  const [y, mo, d] = parseDate(approvalDate);
  const anniversary = utc(y + 5, mo, d);
  anniversary.setUTCDate(anniversary.getUTCDate() - 1);
  return format(anniversary);
}

/** 延续注册: the new 5 years start the day after the old expiry. */
export function renewalValidity(oldValidUntil: string): { validFrom: string; validUntil: string } {
  const [y, mo, d] = parseDate(oldValidUntil);
  const validFrom = format(utc(y, mo, d + 1));
  return { validFrom, validUntil: validUntil(validFrom) };
}

/**
 * The same day `months` months before `date`, clamped to the month's end
 * (2031-08-31 less 6 months is 2031-02-28).
 */
export function monthsBefore(date: string, months: number): string {
  const [y, mo, d] = parseDate(date);
  const lastDay = utc(y, mo - months + 1, 0).getUTCDate();
  return format(utc(y, mo - months, Math.min(d, lastDay)));
}

/** The last day to apply for 延续注册: 6 months before expiry. */
export const renewalApplyBy = (certificateValidUntil: string) => monthsBefore(certificateValidUntil, 6);

export type CertificateState = "valid" | "expired" | "cancelled";

/** State for public verification; `today` is the Asia/Shanghai date. The expiry day itself is still valid. */
export function certificateState(cert: { validUntil: string; cancelled: boolean }, today: string): CertificateState {
  if (cert.cancelled) return "cancelled";
  return today <= cert.validUntil ? "valid" : "expired";
}
