import { prisma, type Prisma } from "#app/.server/db.ts";
import {
  breakdown,
  certificateOrigin,
  clampPeriod,
  COUNTED_STATE,
  countsTowardsIndicator,
  dateOnly,
  DEVICE_CERTIFICATES_KEY,
  indicatorStatus,
  isComparator,
  monthlyCounts,
  progress,
  toDateColumn,
  type CertificateOrigin,
  type Period,
} from "./indicator-rules.ts";

/*
 * 医疗器械证（含一、二、三类）: the certificates behind the number. The query
 * is the database form of countsTowardsIndicator (VALID, cluster company,
 * approved within the period); the rule is applied once more to what comes
 * back, so the page, the report and the rule's tests cannot drift apart.
 */

const COUNTED_SELECT = {
  id: true,
  number: true,
  kind: true,
  deviceClass: true,
  source: true,
  state: true,
  productName: true,
  approvalDate: true,
  authority: true,
  company: { select: { id: true, name: true, clusterMember: true } },
} satisfies Prisma.CertificateSelect;

export interface CountedCertificate {
  id: string;
  number: string;
  deviceClass: number;
  kind: "REGISTRATION" | "FILING";
  source: "GREEN_CHANNEL" | "RECORDED";
  origin: CertificateOrigin;
  productName: string;
  approvalDate: string;
  authority: string;
  companyId: string;
  companyName: string;
}

/**
 * The counted certificates of an indicator period, oldest approval first.
 * `window` narrows it (a report quarter: `upTo` its end, `from` its start).
 */
export async function countedCertificates(period: Period, window: { from?: string; upTo?: string } = {}): Promise<CountedCertificate[]> {
  const range = clampPeriod(period, window);
  if (!range) return [];
  const rows = await prisma.certificate.findMany({
    where: {
      state: COUNTED_STATE,
      company: { clusterMember: true },
      approvalDate: { gte: toDateColumn(range.start), lte: toDateColumn(range.end) },
    },
    select: COUNTED_SELECT,
    orderBy: [{ approvalDate: "asc" }, { number: "asc" }],
  });
  return rows
    .map((r) => ({ ...r, approvalDate: dateOnly(r.approvalDate) }))
    .filter((r) => countsTowardsIndicator({ state: r.state, clusterMember: r.company.clusterMember, approvalDate: r.approvalDate }, range))
    .map((r) => ({
      id: r.id,
      number: r.number,
      deviceClass: r.deviceClass,
      kind: r.kind,
      source: r.source,
      origin: certificateOrigin(r),
      productName: r.productName,
      approvalDate: r.approvalDate,
      authority: r.authority,
      companyId: r.company.id,
      companyName: r.company.name,
    }));
}

export const periodOf = (indicator: { periodStart: Date; periodEnd: Date }): Period => ({ start: dateOnly(indicator.periodStart), end: dateOnly(indicator.periodEnd) });

/** The 医疗器械证 indicator's definition (seeded by the migration). */
export function deviceCertificateIndicator() {
  return prisma.indicator.findUniqueOrThrow({ where: { key: DEVICE_CERTIFICATES_KEY } });
}

/**
 * Everything the 医疗器械证 card shows: count / target, progress, the
 * breakdowns, the monthly buckets and the list behind the number.
 */
export async function deviceCertificateSummary(options: { upTo?: string } = {}) {
  const indicator = await deviceCertificateIndicator();
  const period = periodOf(indicator);
  const certificates = await countedCertificates(period, { upTo: options.upTo });
  const split = breakdown(certificates);
  const target = Number(indicator.target);
  const comparator = isComparator(indicator.comparator) ? indicator.comparator : ">=";
  return {
    indicator: { id: indicator.id, name: indicator.name, nameEn: indicator.nameEn, unit: indicator.unit, comparator, target, period },
    total: split.total,
    byClass: split.byClass,
    byOrigin: split.byOrigin,
    progress: progress(split.total, target),
    status: indicatorStatus(split.total, target, comparator),
    months: monthlyCounts(certificates, period),
    certificates,
  };
}
