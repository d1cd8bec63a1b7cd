import { now } from "#app/.server/clock.ts";
import { prisma } from "#app/.server/db.ts";
import { loadHolidayCalendar } from "#app/modules/calendar/calendar.server.ts";
import { addWorkingDays, shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { loadQueueDashboard, type QueueDashboard } from "./queue-dashboard.server.ts";
import { clockReader, queuePage, toQueueRow, type QueueRow } from "./queue-query.server.ts";
import type { TQueueQuery } from "./queue.schema.ts";

/** "This week" for deferrals, as on /window/deferrals: due from today up to five working days ahead. */
export const WEEK_WORKING_DAYS = 5;

export interface AdvisorChoice {
  id: string;
  name: string;
  /** May take new dossiers: active, with an advisor profile. */
  assignable: boolean;
}

/** What the page's table shows of a row (the loader sends no more than that). */
export type QueuePageRow = Omit<QueueRow, "advisorId" | "lastActivityAt" | "submittedAt">;

function toPageRow({ advisorId: _advisorId, lastActivityAt: _lastActivityAt, submittedAt: _submittedAt, ...row }: QueueRow): QueuePageRow {
  return row;
}

export interface QueueView {
  rows: QueuePageRow[];
  next: string | null;
  previous: string | null;
  dashboard: QueueDashboard;
  advisors: AdvisorChoice[];
}

/** Everything the queue page shows for one parsed query: the page of rows, its cursors, the dashboard strip, the advisors. */
export async function loadQueue(query: TQueueQuery): Promise<QueueView> {
  const calendar = await loadHolidayCalendar();
  const today = shanghaiDate(now());
  const weekEnd = addWorkingDays(calendar, today, WEEK_WORKING_DAYS);
  const [page, dashboard, advisors] = await Promise.all([
    queuePage(query, today),
    loadQueueDashboard(today, weekEnd),
    // One join in SQL: the ORM's relation select costs several times the CPU on every page view.
    prisma.$queryRaw<AdvisorChoice[]>`
      SELECT u.id, u.name, (u.active AND p.user_id IS NOT NULL) AS assignable
      FROM "user" u LEFT JOIN advisor_profile p ON p.user_id = u.id
      WHERE u.role = 'ADVISOR'
      ORDER BY u.name, u.id`,
  ]);
  const readClock = clockReader(calendar, today);
  return {
    rows: page.rows.map((r) => toPageRow(toQueueRow(readClock, r))),
    next: page.next,
    previous: page.previous,
    dashboard,
    advisors,
  };
}
