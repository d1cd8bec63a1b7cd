import { useTranslation } from "react-i18next";
import type { DeferralStateName } from "#app/modules/deferral/deferral-rules.ts";
import { formatDay } from "#app/utils/format.ts";

/*
 * The pieces every deferral page shows the same way: the state as words and
 * colour together (OVERDUE and BREACHED red everywhere), and the working-day
 * countdown with its "provisional" mark for years whose holidays are not
 * published yet.
 */

const TONE: Record<DeferralStateName, "blue" | "amber" | "red" | "green" | "grey"> = {
  REQUESTED: "blue",
  PENDING: "blue",
  EXTENDED: "amber",
  OVERDUE: "red",
  BREACHED: "red",
  FULFILLED: "green",
  VERIFIED: "green",
  REFUSED: "grey",
  CANCELLED: "grey",
};

export function DeferralStateBadge({ state }: { state: DeferralStateName }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge--${TONE[state]}`} data-state={state}>
      {t(`deferral.state.${state}`)}
    </span>
  );
}

/** What countdown() in deferral-rules.ts returns, as it arrives from a loader. */
import type { CountdownData } from "#app/modules/deferral/deferral-rules.ts";

export type { CountdownData };

/** The "provisional" mark with its explanation (a tooltip and a screen-reader text). */
export function ProvisionalMark() {
  const { t } = useTranslation();
  return (
    <abbr className="badge badge--amber provisional" title={t("deferral.countdown.provisionalHint")}>
      {t("deferral.countdown.provisional")}
    </abbr>
  );
}

/** A due date in the reader's date format, with the provisional mark when its year has no published holiday schedule. */
export function DueDate({ date, provisional }: { date: string; provisional?: boolean }) {
  const { i18n } = useTranslation();
  return (
    <>
      <time dateTime={date} className="nowrap">
        {formatDay(date, i18n.language)}
      </time>
      {provisional ? (
        <>
          {" "}
          <ProvisionalMark />
        </>
      ) : null}
    </>
  );
}

/** "N working days left" / "due today" / "N working days overdue" (red once overdue). */
export function Countdown({ value }: { value: CountdownData | null }) {
  const { t, i18n } = useTranslation();
  if (!value) return <span className="muted">—</span>;
  if (value.overdue) {
    const days = Math.max(0, -value.left);
    return (
      <span className="countdown countdown--overdue">
        {days > 0 ? t("deferral.countdown.overdue", { count: days }) : t("deferral.countdown.overdueToday")}
        {value.graceEnd ? <span className="countdown__grace"> · {t("deferral.countdown.graceEnd", { date: formatDay(value.graceEnd, i18n.language) })}</span> : null}
      </span>
    );
  }
  if (value.left <= 0) return <span className="countdown countdown--today">{t("deferral.countdown.today")}</span>;
  return <span className={`countdown${value.left <= 2 ? " countdown--soon" : ""}`}>{t("deferral.countdown.left", { count: value.left })}</span>;
}
