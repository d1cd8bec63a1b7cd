import { Fragment, useId, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { formatBytes } from "#app/components/dossier/file-size.ts";
import { formatDay } from "#app/utils/format.ts";
import { EVIDENCE_FIELD } from "./indicator.schema.ts";
import type { Comparator, IndicatorStatus, MonthCount } from "./indicator-rules.ts";

/*
 * The pieces the indicator pages share (dashboard, indicator page, public
 * summary): status words with their colour, targets with ≥, the 医疗器械证
 * card with its monthly chart, and 表1 grouped by 一级/二级 指标. Plain
 * markup and inline SVG with presentation attributes (the CSP allows no
 * inline styles), no chart library.
 */

const STATUS_BADGE: Record<IndicatorStatus, string> = { met: "badge badge--green", notMet: "badge badge--red", noValue: "badge badge--grey" };

export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(locale === "en" ? "en-GB" : "zh-CN", { maximumFractionDigits: 2 }).format(value);
}

/** Units are data (表1 prints 家, 项, 万元 …); the English catalogue names the known ones, others show as stored. */
export function useUnit() {
  const { t } = useTranslation();
  return (unit: string) => t(`indicator.units.${unit}`, { defaultValue: unit });
}

/** "50 家", "5%" (no space before a percent sign), "1" (a unit the language leaves out). */
export function withUnit(amount: string, unit: string): string {
  if (!unit) return amount;
  return unit === "%" ? `${amount}%` : `${amount} ${unit}`;
}

export const indicatorName = (row: { name: string; nameEn: string }, locale: string) => (locale === "en" && row.nameEn ? row.nameEn : row.name);

export function StatusBadge({ status }: { status: IndicatorStatus }) {
  const { t } = useTranslation();
  return <span className={STATUS_BADGE[status]}>{t(`indicator.status.${status}`)}</span>;
}

export function TargetText({ comparator, target, unit }: { comparator: Comparator; target: number; unit: string }) {
  const { i18n } = useTranslation();
  const unitLabel = useUnit();
  // One text node, so "≥50 家" reads (and is found) as one string.
  return <span className="nowrap">{`${comparator === ">=" ? "≥" : ""}${withUnit(formatNumber(target, i18n.language), unitLabel(unit))}`}</span>;
}

const BAR = 24;
const GAP = 8;
const CHART_HEIGHT = 120;
const LABEL_SPACE = 34;

/**
 * Counts per month as bars. The SVG is a picture for sighted readers
 * (aria-hidden); the same numbers are in the table below it, which screen
 * readers and anyone who wants the figures can open.
 */
export function MonthlyChart({ months, title }: { months: readonly MonthCount[]; title: string }) {
  const { t } = useTranslation();
  const id = useId();
  const max = Math.max(1, ...months.map((m) => m.count));
  const width = months.length * (BAR + GAP) + GAP;
  // A label every month when they fit, otherwise every third month (quarters).
  const labelEvery = months.length > 12 ? 3 : 1;
  return (
    <figure className="indicator-chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>
        <strong>{title}</strong>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${CHART_HEIGHT + LABEL_SPACE}`} width="100%" height={CHART_HEIGHT + LABEL_SPACE} preserveAspectRatio="xMinYMin meet" aria-hidden="true" focusable="false" data-testid="monthly-chart">
        <line x1={0} y1={CHART_HEIGHT} x2={width} y2={CHART_HEIGHT} stroke="#8a99a8" strokeWidth={1} />
        {months.map((m, i) => {
          const h = Math.round((m.count / max) * (CHART_HEIGHT - 16));
          const x = GAP + i * (BAR + GAP);
          return (
            <g key={m.month}>
              <title>{t("indicator.chart.barTitle", { month: m.month, count: m.count })}</title>
              {m.count > 0 ? <rect x={x} y={CHART_HEIGHT - h} width={BAR} height={h} fill="#2e7d32" /> : null}
              {m.count > 0 ? (
                <text x={x + BAR / 2} y={CHART_HEIGHT - h - 3} textAnchor="middle" fontSize={11} fill="#1b2733">
                  {m.count}
                </text>
              ) : null}
              {i % labelEvery === 0 ? (
                <text x={x + BAR / 2} y={CHART_HEIGHT + 14} textAnchor="middle" fontSize={10} fill="#4a5866">
                  {m.month.slice(2)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <details>
        <summary>{t("indicator.chart.tableToggle")}</summary>
        <table className="data">
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{t("indicator.chart.month")}</th>
              <th scope="col">{t("indicator.chart.count")}</th>
              <th scope="col">{t("indicator.chart.cumulative")}</th>
            </tr>
          </thead>
          <tbody>
            {months.map((m) => (
              <tr key={m.month}>
                <th scope="row">{m.month}</th>
                <td>{m.count}</td>
                <td>{m.cumulative}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

export interface CardSummary {
  indicator: { name: string; nameEn: string; unit: string; comparator: Comparator; target: number; period: { start: string; end: string } };
  total: number;
  byClass: Record<1 | 2 | 3, number>;
  byOrigin?: Record<"greenChannel" | "nmpa" | "province" | "filing", number>;
  progress: { percent: number; fill: number };
  status: IndicatorStatus;
  months: MonthCount[];
}

/** 医疗器械证（含一、二、三类）: count / target, progress in words and as a bar, the breakdowns and the months. */
export function DeviceCertificateCard({ summary, children }: { summary: CardSummary; children?: ReactNode }) {
  const { t, i18n } = useTranslation();
  const unitLabel = useUnit();
  const { indicator, total, progress } = summary;
  const name = indicatorName(indicator, i18n.language);
  return (
    <section className="panel" aria-labelledby="device-card-title" data-testid="device-card">
      <h2 id="device-card-title" className="panel__title">
        {name}
      </h2>
      <p className="lead">
        {t("indicator.card.period", { start: formatDay(indicator.period.start, i18n.language), end: formatDay(indicator.period.end, i18n.language) })}
      </p>
      <p className="indicator-count" data-testid="device-count">
        <strong>
          {t("indicator.card.count", { count: total, target: formatNumber(indicator.target, i18n.language), unit: unitLabel(indicator.unit) })}
        </strong>{" "}
        <StatusBadge status={summary.status} />
      </p>
      <div className="upload-progress">
        <progress max={100} value={progress.fill} aria-label={t("indicator.card.progressLabel", { name })} />
        <span>{t("indicator.card.progress", { percent: progress.percent })}</span>
      </div>
      <div className="form-grid">
        <table className="data">
          <caption>{t("indicator.card.byClass")}</caption>
          <tbody>
            {([1, 2, 3] as const).map((c) => (
              <tr key={c}>
                <th scope="row">{t(`indicator.classes.${c}`)}</th>
                <td>{summary.byClass[c]}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {summary.byOrigin ? (
          <table className="data">
            <caption>{t("indicator.card.byOrigin")}</caption>
            <tbody>
              {(["greenChannel", "nmpa", "province", "filing"] as const).map((o) => (
                <tr key={o}>
                  <th scope="row">{t(`indicator.origins.${o}`)}</th>
                  <td>{summary.byOrigin![o]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
      <MonthlyChart months={summary.months} title={t("indicator.chart.title")} />
      {children}
    </section>
  );
}

export interface TableRow {
  id: string;
  groupName: string;
  subgroup: string;
  name: string;
  nameEn: string;
  comparator: Comparator;
  target: number;
  unit: string;
  source: "CERTIFICATES" | "MANUAL";
  value: number | null;
  asOf: string | null;
  status: IndicatorStatus;
}

/**
 * 表1 as one table: a row group per 一级指标, the 二级指标 cell spanning its
 * rows as printed in the plan. `extra` adds cells (evidence, actions) to the
 * signed-in dashboard; the public summary shows the figures only.
 */
export function IndicatorTable<R extends TableRow>({ rows, extraHeaders = [], extra }: { rows: readonly R[]; extraHeaders?: string[]; extra?: (row: R) => ReactNode }) {
  const { t, i18n } = useTranslation();
  const unitLabel = useUnit();
  const groups: { name: string; rows: R[] }[] = [];
  for (const row of rows) {
    const last = groups.at(-1);
    if (last?.name === row.groupName) last.rows.push(row);
    else groups.push({ name: row.groupName, rows: [row] });
  }
  const columns = 6 + extraHeaders.length;
  return (
    <table className="data data--wrap" data-testid="indicator-table">
      <caption className="visually-hidden">{t("indicator.table.caption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("indicator.table.subgroup")}</th>
          <th scope="col">{t("indicator.table.name")}</th>
          <th scope="col">{t("indicator.table.target")}</th>
          <th scope="col">{t("indicator.table.value")}</th>
          <th scope="col">{t("indicator.table.asOf")}</th>
          <th scope="col">{t("indicator.table.status")}</th>
          {extraHeaders.map((h) => (
            <th scope="col" key={h}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      {groups.map((group) => (
        <tbody key={group.name}>
          <tr>
            <th scope="rowgroup" colSpan={columns}>
              {t("indicator.table.groupHeading", { group: group.name })}
            </th>
          </tr>
          {group.rows.map((row, i) => {
            const first = i === 0 || group.rows[i - 1]!.subgroup !== row.subgroup;
            let span = 1;
            while (first && group.rows[i + span]?.subgroup === row.subgroup) span += 1;
            return (
              <Fragment key={row.id}>
                <tr data-indicator={row.id}>
                  {first ? <td rowSpan={span}>{row.subgroup}</td> : null}
                  <th scope="row">{indicatorName(row, i18n.language)}</th>
                  <td>
                    <TargetText comparator={row.comparator} target={row.target} unit={row.unit} />
                  </td>
                  <td className="nowrap">{row.value === null ? t("indicator.table.noValue") : withUnit(formatNumber(row.value, i18n.language), unitLabel(row.unit))}</td>
                  <td className="nowrap">{row.asOf ? formatDay(row.asOf, i18n.language) : ""}</td>
                  <td>
                    <StatusBadge status={row.status} />
                  </td>
                  {extra?.(row)}
                </tr>
              </Fragment>
            );
          })}
        </tbody>
      ))}
    </table>
  );
}

/** What the evidence file input offers (the server checks the bytes: PDF, PNG, JPEG). */
const EVIDENCE_ACCEPT = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg";

/**
 * The evidence file input with its hint (the size limit) and error; put it
 * last in the form, so the text fields arrive before the file and a refused
 * file still gives them back.
 */
export function EvidenceField({
  id,
  label,
  hintKey,
  maxBytes,
  required,
  error,
  onChange,
}: {
  id: string;
  label: string;
  hintKey: string;
  maxBytes: number;
  required?: boolean;
  error: string | undefined;
  onChange: () => void;
}) {
  const { t, i18n } = useTranslation();
  const limit = formatBytes(maxBytes, i18n.language);
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor={id}>
        {label}
        {required ? (
          <span className="field__req">
            {" "}*<span className="visually-hidden">{t("common.required")}</span>
          </span>
        ) : null}
      </label>
      <p id={`${id}-hint`} className="field__hint">
        {t(hintKey, { limit })}
      </p>
      <input
        id={id}
        type="file"
        name={EVIDENCE_FIELD}
        accept={EVIDENCE_ACCEPT}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
        onChange={onChange}
      />
      {error ? (
        <p id={`${id}-error`} className="field__error" role="alert">
          {t(error, { limit })}
        </p>
      ) : null}
    </div>
  );
}
