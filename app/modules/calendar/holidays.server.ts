import { audit, transaction } from "#app/.server/audit.ts";
import type { SessionUser } from "#app/.server/session.ts";
import { OUTBOX_TOPIC_CLOCKS_REFRESH } from "#app/modules/clock/clock.server.ts";
import { forgetHolidayCalendar } from "./calendar.server.ts";
import type { THoliday } from "./holiday.schema.ts";

/**
 * Window staff enter or correct a day of the schedule (audited; takes effect
 * for new deadlines at once; the worker recomputes the running stage clocks).
 */
export async function saveHoliday(user: SessionUser, input: THoliday) {
  const key = new Date(`${input.date}T00:00:00Z`);
  await transaction(async (tx) => {
    const before = await tx.holiday.findUnique({ where: { date: key } });
    await tx.holiday.upsert({
      where: { date: key },
      create: { date: key, kind: input.kind, nameZh: input.nameZh, nameEn: input.nameEn, updatedById: user.id },
      update: { kind: input.kind, nameZh: input.nameZh, nameEn: input.nameEn, updatedById: user.id },
    });
    await tx.outbox.create({ data: { topic: OUTBOX_TOPIC_CLOCKS_REFRESH, payload: {} } });
    await audit({ actor: user, action: "calendar.save", objectType: "holiday", objectId: input.date, details: { kind: input.kind, before: before?.kind ?? null } }, tx);
  });
  forgetHolidayCalendar();
}

export async function removeHoliday(user: SessionUser, day: string) {
  await transaction(async (tx) => {
    const { count } = await tx.holiday.deleteMany({ where: { date: new Date(`${day}T00:00:00Z`) } });
    if (count === 0) return;
    await tx.outbox.create({ data: { topic: OUTBOX_TOPIC_CLOCKS_REFRESH, payload: {} } });
    await audit({ actor: user, action: "calendar.remove", objectType: "holiday", objectId: day }, tx);
  });
  forgetHolidayCalendar();
}
