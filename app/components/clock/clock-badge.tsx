import { useTranslation } from "react-i18next";
import type { ClockColour } from "#app/modules/clock/stage-clock.ts";
import { formatDay } from "#app/utils/format.ts";

/** A stage clock in words and colour: "预警 · 已用 49/60 个工作日 · 剩余 11 … 期限 …" (colour never alone). */
export function ClockBadge({
  clock,
  showStage = false,
}: {
  clock: { stage: string; elapsed: number; limit: number; remaining: number; colour: ClockColour; paused: boolean; dueOn: string; provisional: boolean };
  showStage?: boolean;
}) {
  const { t, i18n } = useTranslation();
  return (
    <span className={`clock clock--${clock.colour}`}>
      <strong className="clock__colour">{t(`clock.colour.${clock.colour}`)}</strong>
      {showStage ? <> · {t(`clock.stage.${clock.stage}`)}</> : null} · {t("clock.elapsedOfLimit", { elapsed: clock.elapsed, limit: clock.limit })}
      {" · "}
      {clock.paused ? t("clock.paused") : clock.remaining >= 0 ? t("clock.remaining", { count: clock.remaining }) : t("clock.overBy", { count: -clock.remaining })}
      {" · "}
      {t("clock.dueOn", { date: formatDay(clock.dueOn, i18n.language) })}
      {clock.provisional ? <> ({t("clock.provisional")})</> : null}
    </span>
  );
}
