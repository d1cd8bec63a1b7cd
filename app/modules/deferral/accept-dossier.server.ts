import { audit, transaction } from "#app/.server/audit.ts";
import { now } from "#app/.server/clock.ts";
import { queueEmail } from "#app/.server/email.ts";
import { env } from "#app/.server/env.ts";
import { type Tx } from "#app/.server/db.ts";
import { publishEmails } from "#app/.server/queue.ts";
import type { SessionUser } from "#app/.server/session.ts";
import { loadHolidayCalendar } from "#app/modules/calendar/calendar.server.ts";
import { DossierRuleError } from "#app/modules/dossier/errors.ts";
import { transitionDossier } from "#app/modules/dossier/transition-dossier.server.ts";
import { companyUserIds, dossierAudience, notifyUsers } from "#app/modules/notify/notify.server.ts";
import { scheduleReminders } from "#app/modules/reminders/schedule.server.ts";
import { dateOnly, DEFERRAL_OWNER, deferralReminderSpecs } from "./deferral-rules.ts";
import { buildLetter } from "./commitment.server.ts";
import { letterHash } from "./letters.ts";

/**
 * 受理 by window staff. With requested deferrals this is 容缺受理: each becomes
 * PENDING, its reminders and one outbox row are written in the same
 * transaction (DESIGN "the database is the schedule"; no Redis in the request:
 * QUALITY R4), the notice (容缺受理通知书) is frozen and emailed to the
 * company's users. Returns the notice id, if any.
 */
export async function acceptDossier(user: SessionUser, dossierId: string, expectedVersion: number) {
  const calendar = await loadHolidayCalendar();
  const at = now();
  const { emailIds, noticeId } = await transaction(async (tx) => {
    const requested = await tx.deferral.findMany({ where: { dossierId, state: "REQUESTED" }, include: { policy: true } });
    await transitionDossier(tx, { dossierId, expectedVersion, action: "accept", actor: user, data: { acceptedAt: at }, details: { deferrals: requested.length } });
    const dossier = await tx.dossier.findUniqueOrThrow({ where: { id: dossierId } });
    const companyUsers = await companyUserIds(tx, dossier.companyId);
    let noticeId: string | null = null;
    const emailIds: string[] = [];
    if (requested.length > 0) {
      const content = await buildLetter(tx, { dossierId, kind: "DEFERRAL_NOTICE", states: ["REQUESTED"], person: { name: user.name, email: user.email }, at, ip: null, calendar });
      const sequence = (await tx.issuedLetter.count({ where: { dossierId, kind: "DEFERRAL_NOTICE" } })) + 1;
      const notice = await tx.issuedLetter.create({ data: { dossierId, kind: "DEFERRAL_NOTICE", sequence, content: content as object, sha256: letterHash(content!), issuedById: user.id, issuedAt: at } });
      noticeId = notice.id;
      for (const d of requested) {
        await tx.deferral.update({ where: { id: d.id }, data: { state: "PENDING", acceptedAt: at, acceptedById: user.id, noticeId: notice.id, version: { increment: 1 } } });
        await scheduleReminders(tx, { ownerType: DEFERRAL_OWNER, ownerId: d.id, reminders: deferralReminderSpecs(calendar, dateOnly(d.dueDate), d.policy.reminderOffsets, false) });
      }
      // The notice itself, by email, to every company user (printable in the portal).
      const url = new URL(`/dossiers/${dossierId}/letters/${notice.id}`, env().APP_URL).href;
      const recipients = await tx.user.findMany({ where: { id: { in: companyUsers }, active: true, emailVerifiedAt: { not: null }, passwordHash: { not: null } } });
      for (const u of recipients) {
        emailIds.push(
          await queueEmail(tx, {
            to: u.email,
            template: "deferral-notice",
            locale: u.locale,
            props: {
              name: u.name,
              number: dossier.number,
              product: dossier.productName,
              items: content!.items.map((i) => ({ code: i.code, titleZh: i.titleZh, titleEn: i.titleEn, dueDate: i.dueDate })),
              graceWorkingDays: content!.policy.graceWorkingDays,
              url,
            },
          }),
        );
      }
      await audit({ actor: user, action: "deferral.accept", objectType: "dossier", objectId: dossierId, details: { deferrals: requested.map((d) => d.id), noticeId } }, tx);
    }
    const params = { number: dossier.number, product: dossier.productName, time: `d:${at.toISOString()}`, deferralNote: requested.length > 0 ? "t:deferral.acceptedNote" : "" };
    const link = noticeId ? `/dossiers/${dossierId}/letters/${noticeId}` : `/dossiers/${dossierId}`;
    emailIds.push(...(await notifyUsers(tx, { userIds: await dossierAudience(tx, dossier, ["company", "advisor"]), kind: "dossierAccepted", params, link, dossierId })));
    return { emailIds, noticeId };
  });
  await publishEmails(emailIds);
  return { noticeId };
}

/**
 * Window staff refuse one requested deferral: it becomes REFUSED and the
 * dossier goes back to the applicant for correction (the item then needs its
 * document, or the applicant withdraws). The dossier's version guards a
 * colleague acting at the same time.
 */
export async function refuseDeferral(user: SessionUser, dossierId: string, expectedVersion: number, deferralId: string, reason: string) {
  const at = now();
  const emailIds = await transaction(async (tx: Tx) => {
    const deferral = await tx.deferral.findFirst({ where: { id: deferralId, dossierId, state: "REQUESTED" }, include: { item: true } });
    if (!deferral) throw new DossierRuleError("dossierErrors.notAllowed");
    await transitionDossier(tx, { dossierId, expectedVersion, action: "returnForCorrection", actor: user, details: { reason, refusedDeferral: deferralId, code: deferral.item.code } });
    await tx.deferral.update({ where: { id: deferralId }, data: { state: "REFUSED", refusedAt: at, refusedById: user.id, refusalReason: reason, closedAt: at, version: { increment: 1 } } });
    await audit({ actor: user, action: "deferral.refuse", objectType: "deferral", objectId: deferralId, details: { dossierId, code: deferral.item.code, reason } }, tx);
    const dossier = await tx.dossier.findUniqueOrThrow({ where: { id: dossierId } });
    return notifyUsers(tx, {
      userIds: await dossierAudience(tx, dossier, ["company", "advisor"]),
      kind: "deferralRefused",
      params: { number: dossier.number, product: dossier.productName, item: deferral.item.code, reason },
      link: `/dossiers/${dossierId}/deferrals`,
      dossierId,
    });
  });
  await publishEmails(emailIds);
}
