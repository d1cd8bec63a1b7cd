/*
 * The district plan's 表1 indicators (../shared/seeds/000_07035ab29f5ed8a1.txt):
 * the counting rule of 医疗器械证（含一、二、三类）, the status of each
 * indicator against its target, current values and report quarters. Pure:
 * dates are "YYYY-MM-DD" calendar dates (Asia/Shanghai), periods inclusive.
 */

export const COMPARATORS = [">=", "="] as const;
export type Comparator = (typeof COMPARATORS)[number];
export const isComparator = (v: string): v is Comparator => (COMPARATORS as readonly string[]).includes(v);

/** The seeded key of 医疗器械证（含一、二、三类）. */
export const DEVICE_CERTIFICATES_KEY = "device-certificates";

export const DEVICE_CLASSES = [1, 2, 3] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

/** Where a counted certificate came from: the green channel, or recorded by window staff (NMPA, another province, a Class I filing). */
export const ORIGINS = ["greenChannel", "nmpa", "province", "filing"] as const;
export type CertificateOrigin = (typeof ORIGINS)[number];

export type CertificateStateName = "VALID" | "UNVERIFIED" | "CANCELLED";
export type CertificateSourceName = "GREEN_CHANNEL" | "RECORDED";
export type CertificateKindName = "REGISTRATION" | "FILING";

/**
 * Only VALID certificates count: green-channel ones are VALID when issued;
 * recorded ones only after the four-eyes verification. UNVERIFIED and
 * CANCELLED ones never count.
 */
export const COUNTED_STATE: CertificateStateName = "VALID";

export interface Period {
  start: string;
  end: string;
}

export const dateOnly = (d: Date) => d.toISOString().slice(0, 10);
/** A calendar date as the value of a @db.Date column (midnight UTC). */
export const toDateColumn = (date: string) => new Date(`${date}T00:00:00.000Z`);

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const t = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return dateOnly(t) === value;
}

/** Both ends count: a certificate approved on the plan's first or last day is in. */
export const inPeriod = (date: string, period: Period) => date >= period.start && date <= period.end;

/** The period cut to [from, upTo] (either optional); null when nothing is left. */
export function clampPeriod(period: Period, window: { from?: string; upTo?: string }): Period | null {
  const start = window.from && window.from > period.start ? window.from : period.start;
  const end = window.upTo && window.upTo < period.end ? window.upTo : period.end;
  return start <= end ? { start, end } : null;
}

export interface CountableCertificate {
  state: CertificateStateName;
  /** The company's clusterMember flag: only the cluster's companies count for the plan. */
  clusterMember: boolean;
  approvalDate: string;
}

/** The 医疗器械证 rule: VALID, of a cluster company, approved within the indicator's period (inclusive). */
export function countsTowardsIndicator(certificate: CountableCertificate, period: Period): boolean {
  return certificate.state === COUNTED_STATE && certificate.clusterMember && inPeriod(certificate.approvalDate, period);
}

export function certificateOrigin(c: { source: CertificateSourceName; kind: CertificateKindName; number: string }): CertificateOrigin {
  if (c.source === "GREEN_CHANNEL") return "greenChannel";
  if (c.kind === "FILING") return "filing";
  // 国械注准/进/许: NMPA registers Class III and every import (Art. 115); the rest are provincial Class II.
  return c.number.startsWith("国") ? "nmpa" : "province";
}

export interface BreakdownInput {
  number: string;
  deviceClass: number;
  source: CertificateSourceName;
  kind: CertificateKindName;
}

export interface Breakdown {
  total: number;
  byClass: Record<DeviceClass, number>;
  byOrigin: Record<CertificateOrigin, number>;
}

/** Totals by class and by origin. A number counts once, however often it appears in the input. */
export function breakdown(certificates: readonly BreakdownInput[]): Breakdown {
  const byClass: Record<DeviceClass, number> = { 1: 0, 2: 0, 3: 0 };
  const byOrigin = Object.fromEntries(ORIGINS.map((o) => [o, 0])) as Record<CertificateOrigin, number>;
  const seen = new Set<string>();
  for (const c of certificates) {
    if (seen.has(c.number)) continue;
    seen.add(c.number);
    if (c.deviceClass === 1 || c.deviceClass === 2 || c.deviceClass === 3) byClass[c.deviceClass] += 1;
    byOrigin[certificateOrigin(c)] += 1;
  }
  return { total: seen.size, byClass, byOrigin };
}

/** "YYYY-MM" of every month the period touches, first to last. */
export function periodMonths(period: Period): string[] {
  const months: string[] = [];
  let y = Number(period.start.slice(0, 4));
  let m = Number(period.start.slice(5, 7));
  const last = period.end.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, "0")}`;
    if (month > last) break;
    months.push(month);
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
  }
  return months;
}

export interface MonthCount {
  month: string;
  count: number;
  /** Running total up to and including this month. */
  cumulative: number;
}

/** Counts per month of approval over the period (a bucket for every month, empty ones too); dates outside are ignored. */
export function monthlyCounts(certificates: readonly { number: string; approvalDate: string }[], period: Period): MonthCount[] {
  const counts = new Map(periodMonths(period).map((m) => [m, 0]));
  const seen = new Set<string>();
  for (const c of certificates) {
    if (seen.has(c.number) || !inPeriod(c.approvalDate, period)) continue;
    seen.add(c.number);
    const month = c.approvalDate.slice(0, 7);
    counts.set(month, (counts.get(month) ?? 0) + 1);
  }
  let cumulative = 0;
  return [...counts].map(([month, count]) => {
    cumulative += count;
    return { month, count, cumulative };
  });
}

export const STATUSES = ["met", "notMet", "noValue"] as const;
export type IndicatorStatus = (typeof STATUSES)[number];

/**
 * 达标 or 未达标. Both comparators mean "reach the target": 表1 prints some
 * targets as "≥50家" and others as plain "15家" or "10项", but a plan's
 * quantity is a floor either way (12 certificates for a target of 10 is not
 * a failure). The comparator only changes how the target is shown.
 */
export function indicatorStatus(value: number | null, target: number, comparator: Comparator): IndicatorStatus {
  if (value === null) return "noValue";
  switch (comparator) {
    case ">=":
    case "=":
      return value >= target ? "met" : "notMet";
  }
}

/** The progress towards the target in whole percent (may pass 100), and the bar's fill (0–100). */
export function progress(value: number, target: number): { percent: number; fill: number } {
  if (target <= 0) return { percent: value > 0 ? 100 : 0, fill: 100 };
  const percent = Math.floor((value / target) * 100);
  return { percent, fill: Math.max(0, Math.min(100, percent)) };
}

export interface ValueLike {
  asOf: string;
  createdAt: Date | string;
}

/**
 * The current value: the newest by as-of date, then by entry time (a
 * correction entered later for the same date wins). With `upTo`, only
 * values as of that date or earlier (the value at a quarter's end).
 */
export function currentValue<T extends ValueLike>(values: readonly T[], upTo?: string): T | null {
  let best: T | null = null;
  for (const v of values) {
    if (upTo !== undefined && v.asOf > upTo) continue;
    if (!best || v.asOf > best.asOf || (v.asOf === best.asOf && new Date(v.createdAt).getTime() > new Date(best.createdAt).getTime())) best = v;
  }
  return best;
}

export interface Quarter {
  /** "2021-Q3" */
  label: string;
  year: number;
  quarter: 1 | 2 | 3 | 4;
  start: string;
  end: string;
}

const QUARTER = /^(\d{4})-Q([1-4])$/;
const QUARTER_ENDS = ["03-31", "06-30", "09-30", "12-31"] as const;

/** "2021-Q3" → 2021-07-01..2021-09-30; anything else (or a year outside 2000–2099) → null. */
export function parseQuarter(value: string): Quarter | null {
  const m = QUARTER.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  if (year < 2000 || year > 2099) return null;
  const quarter = Number(m[2]) as 1 | 2 | 3 | 4;
  const startMonth = String((quarter - 1) * 3 + 1).padStart(2, "0");
  return { label: value, year, quarter, start: `${year}-${startMonth}-01`, end: `${year}-${QUARTER_ENDS[quarter - 1]}` };
}

/** The quarter a date falls in: "2021-08-15" → "2021-Q3". */
export function quarterOf(date: string): string {
  const month = Number(date.slice(5, 7));
  return `${date.slice(0, 4)}-Q${Math.floor((month - 1) / 3) + 1}`;
}

/** Every quarter from the one holding `from` to the one holding `to`, oldest first ("2020-Q3", "2020-Q4", …). */
export function quartersBetween(from: string, to: string): string[] {
  const quarters: string[] = [];
  let year = Number(from.slice(0, 4));
  let q = Number(quarterOf(from).slice(-1));
  const last = quarterOf(to);
  for (let label = `${year}-Q${q}`; label <= last; label = `${year}-Q${q}`) {
    quarters.push(label);
    q += 1;
    if (q === 5) {
      q = 1;
      year += 1;
    }
  }
  return quarters;
}
