import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { DossierStatus, RegistrationType } from "#app/.server/generated/prisma/enums.ts";
import { StatusBadge } from "#app/components/dossier/status-badge.tsx";
import type { ClockReading, StageName } from "#app/modules/clock/stage-clock.ts";
import type { QueueSort } from "#app/modules/queue/queue.schema.ts";
import { formatDay } from "#app/utils/format.ts";
import { ColourBadge, SortHeader, type QueueState } from "./queue-parts.tsx";

/** A queue row as the page receives it (serialised from the loader; only what the table shows). */
export interface QueueTableRow {
  id: string;
  number: string;
  company: string;
  product: string;
  code: string;
  type: RegistrationType;
  status: DossierStatus;
  stage: StageName | null;
  advisorName: string | null;
  clock: ClockReading | null;
  openGaps: number;
  nextDeferralDue: string | null;
  overdueDeferrals: number;
  /** The Shanghai day of the last activity. */
  lastActivityOn: string;
}

/** The columns left to right; every one sorts ("due" is the clock column). */
const COLUMNS: readonly QueueSort[] = ["number", "company", "product", "code", "type", "stage", "advisor", "due", "gaps", "deferral", "activity"];

/**
 * Translations for one render of the table. A 50-row page needs a few hundred
 * messages and i18next's t costs tens of microseconds a call, which made the
 * table the page's largest cost; here each message template is looked up once
 * per render (per plural form) and its {{placeholders}} are filled in directly.
 * The table's messages (queue.*, clock.*, registrationType.*, dossierStatus.*)
 * are plain interpolations, with neither formatting nor nesting.
 */
export function tableTranslator(t: TFunction, language: string): (key: string, vars?: Record<string, string | number>) => string {
  const plural = new Intl.PluralRules(language);
  const templates = new Map<string, string>();
  return (key, vars) => {
    const form = vars && typeof vars.count === "number" ? plural.select(vars.count) : "";
    const id = `${key}#${form}`;
    let template = templates.get(id);
    if (template === undefined) {
      template = vars ? t(key, { ...vars, skipInterpolation: true }) : t(key);
      templates.set(id, template);
    }
    return vars ? template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole)) : template;
  };
}

function ClockCell({ clock, tr, language }: { clock: ClockReading | null; tr: ReturnType<typeof tableTranslator>; language: string }) {
  if (!clock) return <span className="field__hint">{tr("clock.none")}</span>;
  const left = clock.paused ? tr("clock.paused") : clock.remaining >= 0 ? tr("clock.remaining", { count: clock.remaining }) : tr("clock.overBy", { count: -clock.remaining });
  return (
    <>
      <ColourBadge colour={clock.colour} label={tr(`clock.colour.${clock.colour}`)} />
      {` ${tr("clock.elapsedOfLimit", { elapsed: clock.elapsed, limit: clock.limit })}`}
      <div className={!clock.paused && clock.remaining < 0 ? "field__error" : "field__hint"}>
        {`${left} · ${tr("clock.dueOn", { date: formatDay(clock.dueOn, language) })}${clock.provisional ? ` (${tr("clock.provisional")})` : ""}`}
      </div>
    </>
  );
}

/**
 * The queue's table: a caption saying what is shown and how it is sorted,
 * sortable headers, and per row a checkbox for the bulk form (associated with
 * it through the `form` attribute, so the table stays outside the form).
 */
export function QueueTable({
  rows,
  state,
  caption,
  select,
  ticked,
}: {
  rows: readonly QueueTableRow[];
  state: QueueState;
  caption: string;
  /** The bulk form's id and the name of the row checkboxes. */
  select: { form: string; name: string };
  /** Ids ticked before a refused post (kept input). */
  ticked: readonly string[];
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const tr = tableTranslator(t, language);
  return (
    <table className="data data--wrap" data-testid="queue">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">
            <span className="visually-hidden">{t("queue.columns.select")}</span>
          </th>
          {COLUMNS.map((column) => (
            <SortHeader key={column} column={column} state={state} t={t} />
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} data-dossier={r.number}>
            <td>
              <input
                type="checkbox"
                id={`pick-${r.id}`}
                form={select.form}
                value={r.id}
                defaultChecked={ticked.includes(r.id)}
                aria-label={tr("queue.selectRow", { number: r.number })}
                name={select.name}
              />
            </td>
            <th scope="row">
              {/* A plain link: 50 router Links cost the page about a millisecond of rendering; a dossier opens as a new document. */}
              <a href={`/dossiers/${r.id}`} className="dossier-number">
                {r.number}
              </a>
            </th>
            <td>{r.company}</td>
            <td>{r.product}</td>
            <td>
              <code>{r.code}</code>
            </td>
            <td>{tr(`registrationType.${r.type}`)}</td>
            <td>
              {r.stage ? (
                <>
                  {tr(`clock.stage.${r.stage}`)}
                  <div className="field__hint">{tr(`dossierStatus.${r.status}`)}</div>
                </>
              ) : (
                <StatusBadge status={r.status} />
              )}
            </td>
            <td>{r.advisorName ?? <span className="badge badge--amber">{tr("queue.unassigned")}</span>}</td>
            <td data-colour={r.clock?.colour ?? "none"}>
              <ClockCell clock={r.clock} tr={tr} language={language} />
            </td>
            <td>{r.openGaps}</td>
            <td>
              {r.nextDeferralDue ? tr("queue.nextDue", { date: formatDay(r.nextDeferralDue, language) }) : r.overdueDeferrals === 0 ? tr("queue.noDeferral") : null}
              {r.overdueDeferrals > 0 ? (
                <div>
                  <span className="badge badge--red" data-overdue-deferrals={r.overdueDeferrals}>
                    {tr("queue.overdueDeferrals", { count: r.overdueDeferrals })}
                  </span>
                </div>
              ) : null}
            </td>
            <td>
              <time dateTime={r.lastActivityOn}>{formatDay(r.lastActivityOn, language)}</time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
