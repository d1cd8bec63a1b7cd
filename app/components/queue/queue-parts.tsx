import { Link } from "@remix-run/react";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import type { ClockColour, StageName } from "#app/modules/clock/stage-clock.ts";
import { DEFAULT_DIR, queueSearch, type QueueSort, type TQueueFilters } from "#app/modules/queue/queue.schema.ts";
import type { SortDir } from "#app/modules/queue/queue-cursor.ts";

/*
 * Pieces of the window queue page: links, colour badges, sort headers, the
 * dashboard strip. Per-row and per-column pieces take `t` instead of calling
 * useTranslation: the hook copies the i18n instance on every call, which over
 * a 50-row table was the page's largest rendering cost.
 */

export type QueueState = TQueueFilters & { sort: QueueSort; dir: SortDir };

/** The queue's URL for a state (only what differs from the defaults). */
export function queueHref(state: QueueState, change: Parameters<typeof queueSearch>[1] = {}): string {
  const search = queueSearch(state, change).toString();
  return search ? `/window?${search}` : "/window";
}

/** Badge tone per clock colour (the app's badge palette: yellow is amber). */
export const COLOUR_TONE: Record<ClockColour, "green" | "amber" | "red"> = { green: "green", yellow: "amber", red: "red" };

/** The colour in words and colour together (never colour alone). Takes its word, so a table of rows needs no hook per cell. */
export function ColourBadge({ colour, label }: { colour: ClockColour; label: string }) {
  return (
    <span className={`badge badge--${COLOUR_TONE[colour]}`} data-colour={colour}>
      {label}
    </span>
  );
}

/** A column header that sorts: aria-sort on the active one, the link says what it will do. */
export function SortHeader({ column, state, t }: { column: QueueSort; state: QueueState; t: TFunction }) {
  const label = t(`queue.columns.${column}`);
  const active = state.sort === column;
  const nextDir: SortDir = active ? (state.dir === "asc" ? "desc" : "asc") : DEFAULT_DIR[column];
  return (
    <th scope="col" aria-sort={active ? (state.dir === "asc" ? "ascending" : "descending") : "none"}>
      <Link to={queueHref(state, { sort: column, dir: nextDir })} className="sort-link" data-sort={column}>
        {label}
        <span aria-hidden="true">{active ? (state.dir === "asc" ? " ▲" : " ▼") : " ↕"}</span>
        <span className="visually-hidden">{` ${t("queue.sortBy", { column: label, dir: t(`queue.dirs.${nextDir}`) })}`}</span>
      </Link>
    </th>
  );
}

export interface DashboardData {
  stages: Record<StageName, number>;
  colours: Record<ClockColour, number>;
  correction: number;
  deferrals: { week: number; overdue: number; breached: number };
}

/** Counts of the open dossiers per stage and colour, and the deferrals to watch; each links to its list. */
export function DashboardStrip({ dashboard, stages }: { dashboard: DashboardData; stages: readonly StageName[] }) {
  const { t } = useTranslation();
  const open: QueueState = { scope: "open", overdue: false, sort: "due", dir: "asc" };
  return (
    <section className="panel" aria-labelledby="queue-dashboard-title" data-testid="queue-dashboard">
      <h2 id="queue-dashboard-title">{t("queue.dashboard.title")}</h2>
      <div className="form-grid">
        <div>
          <h3>{t("queue.dashboard.stagesTitle")}</h3>
          <dl className="facts">
            {stages.map((stage) => (
              <Fragment key={stage}>
                <dt>{t(`clock.stage.${stage}`)}</dt>
                <dd data-stage={stage}>
                  <Link to={queueHref(open, { stage })}>{t("queue.dashboard.count", { count: dashboard.stages[stage] })}</Link>
                </dd>
              </Fragment>
            ))}
            <dt>{t("queue.dashboard.correction")}</dt>
            <dd data-stage="correction">{t("queue.dashboard.count", { count: dashboard.correction })}</dd>
          </dl>
        </div>
        <div>
          <h3>{t("queue.dashboard.coloursTitle")}</h3>
          <dl className="facts">
            {(["red", "yellow", "green"] as const).map((colour) => (
              <Fragment key={colour}>
                <dt>
                  <ColourBadge colour={colour} label={t(`clock.colour.${colour}`)} />
                </dt>
                <dd data-colour-count={colour}>
                  <Link to={queueHref(open, { colour })}>{t("queue.dashboard.count", { count: dashboard.colours[colour] })}</Link>
                </dd>
              </Fragment>
            ))}
          </dl>
        </div>
        <div>
          <h3>{t("queue.dashboard.deferralsTitle")}</h3>
          <dl className="facts">
            {(["week", "overdue", "breached"] as const).map((tab) => (
              <Fragment key={tab}>
                <dt>{t(`queue.dashboard.${tab}`)}</dt>
                <dd data-deferrals={tab}>
                  <Link to={`/window/deferrals?tab=${tab}`} className={tab !== "week" && dashboard.deferrals[tab] > 0 ? "field__error" : undefined}>
                    {t("queue.dashboard.deferralCount", { count: dashboard.deferrals[tab] })}
                  </Link>
                </dd>
              </Fragment>
            ))}
          </dl>
        </div>
      </div>
      <p className="field__hint">{t("queue.dashboard.refreshed")}</p>
    </section>
  );
}
