import { prisma } from "#app/.server/db.ts";
import { STAGES, type ClockColour, type StageName } from "#app/modules/clock/stage-clock.ts";
import { toDateColumn } from "#app/modules/deferral/deferral-rules.ts";

/*
 * The queue's dashboard strip: open dossiers per stage and per clock colour,
 * those awaiting correction, and the deferrals due this week, overdue and
 * breached (the same three lists as /window/deferrals).
 *
 * Cost at 100,000 dossiers: counting means reading every open row, so the
 * strip is held in an in-process cache for at most 15 seconds (CACHE_MS) per
 * Shanghai date — every queue request in that window reuses it, and a colour
 * that changes at midnight changes the key. A miss is cheap too: the stage ×
 * colour count is an index-only scan of dossier_queue_dashboard_idx, the other
 * counts use dossier(status, updated_at) and deferral(state, due_date); none is
 * a sequential scan of dossier.
 */

export const DASHBOARD_CACHE_MS = 15_000;

export interface QueueDashboard {
  /** Open dossiers with a running clock, per stage. */
  stages: Record<StageName, number>;
  /** Open dossiers per clock colour (the same dossiers as `stages`). */
  colours: Record<ClockColour, number>;
  /** Dossiers sent back for correction (open, no clock). */
  correction: number;
  deferrals: { week: number; overdue: number; breached: number };
}

let cache: { key: string; at: number; value: QueueDashboard } | undefined;

/** The strip for `today` (Shanghai date); `weekEnd` is five working days ahead. `maxAgeMs` 0 reads afresh. */
export async function loadQueueDashboard(today: string, weekEnd: string, maxAgeMs = DASHBOARD_CACHE_MS): Promise<QueueDashboard> {
  const key = `${today}/${weekEnd}`;
  const at = Date.now();
  if (cache && cache.key === key && at - cache.at < Math.min(maxAgeMs, DASHBOARD_CACHE_MS)) return cache.value;
  const value = await countDashboard(today, weekEnd);
  cache = { key, at, value };
  return value;
}

async function countDashboard(today: string, weekEnd: string): Promise<QueueDashboard> {
  // Colours as in queue-query.server.ts (red ⇔ red day reached or stopped red; yellow likewise), `today` a bind parameter.
  const [perStage, correction, week, overdue, breached] = await Promise.all([
    prisma.$queryRaw<{ stage: string; total: number; red: number; yellow: number }[]>`
      SELECT d.stage,
        count(*)::int AS total,
        count(*) FILTER (WHERE COALESCE(d.clock_red_on <= ${today}::date, false) OR COALESCE(d.clock_paused_colour = 'red', false))::int AS red,
        count(*) FILTER (WHERE (COALESCE(d.clock_yellow_on <= ${today}::date, false) AND COALESCE(d.clock_red_on > ${today}::date, false))
                            OR COALESCE(d.clock_paused_colour = 'yellow', false))::int AS yellow
      FROM dossier d
      WHERE d.stage IS NOT NULL
      GROUP BY d.stage`,
    prisma.dossier.count({ where: { status: "CORRECTION_REQUESTED" } }),
    prisma.deferral.count({ where: { state: { in: ["PENDING", "EXTENDED"] }, dueDate: { gte: toDateColumn(today), lte: toDateColumn(weekEnd) } } }),
    prisma.deferral.count({ where: { state: "OVERDUE" } }),
    prisma.deferral.count({ where: { state: "BREACHED" } }),
  ]);
  const stages = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<StageName, number>;
  const colours: Record<ClockColour, number> = { green: 0, yellow: 0, red: 0 };
  for (const row of perStage) {
    if (!(STAGES as readonly string[]).includes(row.stage)) continue;
    stages[row.stage as StageName] = row.total;
    colours.red += row.red;
    colours.yellow += row.yellow;
    colours.green += row.total - row.red - row.yellow;
  }
  return { stages, colours, correction, deferrals: { week, overdue, breached } };
}
