import { audit, transaction } from "#app/.server/audit.ts";
import { now } from "#app/.server/clock.ts";
import { prisma, type Indicator, type Role } from "#app/.server/db.ts";
import { FieldError } from "#app/.server/errors.ts";
import type { SessionUser } from "#app/.server/session.ts";
import { discardUpload, type ReceivedFile } from "#app/.server/upload.ts";
import { shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { countedCertificates, periodOf } from "./count-certificates.server.ts";
import { IndicatorRuleError } from "./errors.ts";
import { withEvidence } from "./evidence.server.ts";
import { currentValue, dateOnly, indicatorStatus, isComparator, toDateColumn, type Comparator, type IndicatorStatus } from "./indicator-rules.ts";
import type { TIndicatorDefinition, TIndicatorValue } from "./indicator.schema.ts";

/*
 * The 表1 indicators other than 医疗器械证 are entered by hand with evidence
 * (a statistics sheet, an award notice). Every entry is a new row: the
 * history stays, the newest by as-of date (then entry time) is the current
 * value. The definitions (target, period, names) are configurable and every
 * change is audited with the before and after values.
 */

export const INDICATOR_EDITORS: readonly Role[] = ["WINDOW", "ADMIN"];

function requireEditor(user: SessionUser) {
  if (!INDICATOR_EDITORS.includes(user.role)) throw new IndicatorRuleError("indicator.errors.notAllowed");
}

/** A new value of a manual indicator, with optional evidence. A counted indicator's value is its count: refused. */
export async function recordIndicatorValue(user: SessionUser, indicatorId: string, input: TIndicatorValue, evidenceFile: ReceivedFile | null) {
  let indicator: Indicator;
  try {
    requireEditor(user);
    const found = await prisma.indicator.findUnique({ where: { id: indicatorId } });
    if (!found) throw new IndicatorRuleError("indicator.errors.notFound");
    if (found.source !== "MANUAL") throw new IndicatorRuleError("indicator.errors.counted");
    if (input.asOf > shanghaiDate(now())) throw new FieldError("asOf", "indicator.errors.future");
    indicator = found;
  } catch (error) {
    if (evidenceFile) await discardUpload(evidenceFile);
    throw error;
  }
  return withEvidence(evidenceFile, (evidence) =>
    transaction(async (tx) => {
      const row = await tx.indicatorValue.create({
        data: { indicatorId: indicator.id, value: input.value, asOf: toDateColumn(input.asOf), note: input.note, enteredById: user.id, ...evidence },
      });
      await audit(
        {
          actor: user,
          action: "indicator.value.record",
          objectType: "indicator-value",
          objectId: row.id,
          details: { indicatorId: indicator.id, key: indicator.key, value: input.value, asOf: input.asOf, note: input.note, evidenceSha256: evidence?.evidenceSha256 ?? null },
        },
        tx,
      );
      return row;
    }),
  );
}

const definitionOf = (i: Indicator) => ({
  name: i.name,
  nameEn: i.nameEn,
  target: i.target.toString(),
  unit: i.unit,
  periodStart: dateOnly(i.periodStart),
  periodEnd: dateOnly(i.periodEnd),
  comparator: i.comparator,
});

/** Window staff or an administrator change an indicator's definition; a second editor meanwhile is "changed meanwhile". */
export async function updateIndicatorDefinition(user: SessionUser, indicatorId: string, input: TIndicatorDefinition) {
  requireEditor(user);
  return transaction(async (tx) => {
    const before = await tx.indicator.findUnique({ where: { id: indicatorId } });
    if (!before) throw new IndicatorRuleError("indicator.errors.notFound");
    if (input.updatedAt && input.updatedAt !== before.updatedAt.toISOString()) throw new IndicatorRuleError("indicator.errors.changedMeanwhile");
    const { count } = await tx.indicator.updateMany({
      where: { id: before.id, updatedAt: before.updatedAt },
      data: {
        name: input.name,
        nameEn: input.nameEn,
        target: input.target,
        unit: input.unit,
        periodStart: toDateColumn(input.periodStart),
        periodEnd: toDateColumn(input.periodEnd),
        comparator: input.comparator,
        updatedById: user.id,
      },
    });
    if (count === 0) throw new IndicatorRuleError("indicator.errors.changedMeanwhile");
    const after = await tx.indicator.findUniqueOrThrow({ where: { id: before.id } });
    await audit(
      { actor: user, action: "indicator.definition.update", objectType: "indicator", objectId: after.id, details: { key: after.key, before: definitionOf(before), after: definitionOf(after) } },
      tx,
    );
    return after;
  });
}

export interface IndicatorRow {
  id: string;
  key: string;
  groupName: string;
  subgroup: string;
  name: string;
  nameEn: string;
  comparator: Comparator;
  target: number;
  unit: string;
  periodStart: string;
  periodEnd: string;
  source: "CERTIFICATES" | "MANUAL";
  /** The current value (the count for CERTIFICATES), null when none was entered yet. */
  value: number | null;
  asOf: string | null;
  /** The value row (manual indicators), for its evidence link. */
  valueId: string | null;
  hasEvidence: boolean;
  status: IndicatorStatus;
}

/**
 * The whole 表1 in its printed order with each indicator's current value, or
 * its value at `upTo` (a quarter's end): for 医疗器械证 the count up to then.
 */
export async function loadIndicatorTable(options: { upTo?: string } = {}): Promise<IndicatorRow[]> {
  const today = shanghaiDate(now());
  const upTo = options.upTo;
  const indicators = await prisma.indicator.findMany({
    orderBy: [{ position: "asc" }, { key: "asc" }],
    include: {
      values: {
        where: upTo ? { asOf: { lte: toDateColumn(upTo) } } : {},
        select: { id: true, value: true, asOf: true, createdAt: true, evidenceSha256: true },
      },
    },
  });
  const rows: IndicatorRow[] = [];
  for (const i of indicators) {
    const comparator = isComparator(i.comparator) ? i.comparator : ">=";
    const target = Number(i.target);
    const period = periodOf(i);
    let value: number | null = null;
    let asOf: string | null = null;
    let valueId: string | null = null;
    let hasEvidence = false;
    if (i.source === "CERTIFICATES") {
      value = (await countedCertificates(period, { upTo })).length;
      // A count is as of the day it is taken, or of the report's date.
      asOf = upTo ?? today;
    } else {
      const current = currentValue(i.values.map((v) => ({ ...v, asOf: dateOnly(v.asOf) })));
      if (current) {
        value = Number(current.value);
        asOf = current.asOf;
        valueId = current.id;
        hasEvidence = current.evidenceSha256 !== null;
      }
    }
    rows.push({
      id: i.id,
      key: i.key,
      groupName: i.groupName,
      subgroup: i.subgroup,
      name: i.name,
      nameEn: i.nameEn,
      comparator,
      target,
      unit: i.unit,
      periodStart: period.start,
      periodEnd: period.end,
      source: i.source,
      value,
      asOf,
      valueId,
      hasEvidence,
      status: indicatorStatus(value, target, comparator),
    });
  }
  return rows;
}

/** One indicator with its value history, newest first, and who entered each value. */
export async function indicatorWithHistory(indicatorId: string) {
  const indicator = await prisma.indicator.findUnique({ where: { id: indicatorId } });
  if (!indicator) return null;
  const values = await prisma.indicatorValue.findMany({ where: { indicatorId }, orderBy: [{ asOf: "desc" }, { createdAt: "desc" }, { id: "desc" }], take: 200 });
  const people = await prisma.user.findMany({ where: { id: { in: [...new Set([...values.map((v) => v.enteredById), indicator.updatedById].filter((id): id is string => !!id))] } }, select: { id: true, name: true } });
  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  const history = values.map((v) => ({
    id: v.id,
    value: Number(v.value),
    asOf: dateOnly(v.asOf),
    note: v.note,
    evidenceName: v.evidenceSha256 ? (v.evidenceName ?? "") : null,
    enteredBy: nameOf.get(v.enteredById) ?? "",
    createdAt: v.createdAt,
  }));
  const current = currentValue(history);
  return {
    indicator: {
      ...definitionOf(indicator),
      id: indicator.id,
      key: indicator.key,
      groupName: indicator.groupName,
      subgroup: indicator.subgroup,
      source: indicator.source,
      updatedAt: indicator.updatedAt.toISOString(),
      updatedBy: indicator.updatedById ? (nameOf.get(indicator.updatedById) ?? "") : null,
    },
    history,
    currentId: current?.id ?? null,
  };
}
