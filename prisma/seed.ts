/**
 * Demo data for the embedded default: one company with its administrator, and
 * one user of each staff role. Idempotent: existing users are left alone.
 * Run on its own with `npm run db:seed` (DATABASE_URL must be set).
 */
import { pathToFileURL } from "node:url";
import type { PrismaClient, Role } from "#app/.server/db.ts";
import { hashPassword } from "#app/modules/auth/password.server.ts";
import { audit } from "#app/.server/audit.ts";
import { CATALOGUE_CODE_LIST } from "#app/modules/dossier/catalogue-codes.ts";

export const DEMO_PASSWORD = "Greenlane@2026";
export const DEMO_COMPANY = { name: "天津绿通示范医疗器械有限公司", uscc: "91120110MA05TL3Y5G" };

export const DEMO_USERS: { email: string; name: string; role: Role }[] = [
  { email: "applicant@demo.greenlane.local", name: "王晓明", role: "APPLICANT" },
  { email: "advisor@demo.greenlane.local", name: "李辅导", role: "ADVISOR" },
  { email: "window@demo.greenlane.local", name: "赵窗口", role: "WINDOW" },
  { email: "admin@demo.greenlane.local", name: "系统管理员", role: "ADMIN" },
  { email: "auditor@demo.greenlane.local", name: "审计员", role: "AUDITOR" },
];

export async function seedDemo(prisma: PrismaClient): Promise<{ created: number }> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  let created = 0;
  await prisma.$transaction(async (tx) => {
    const company = await tx.company.upsert({ where: { uscc: DEMO_COMPANY.uscc }, update: {}, create: DEMO_COMPANY });
    for (const u of DEMO_USERS) {
      const exists = await tx.user.findUnique({ where: { email: u.email }, select: { id: true } });
      if (exists) continue;
      const advisorOrUser = await tx.user.create({
        data: {
          ...u,
          passwordHash,
          emailVerifiedAt: new Date(),
          companyId: u.role === "APPLICANT" ? company.id : null,
          isCompanyAdmin: u.role === "APPLICANT",
        },
      });
      if (u.role === "ADVISOR") {
        // The demo advisor covers every catalogue code, so new demo dossiers are assigned at once.
        await tx.advisorProfile.create({
          data: { userId: advisorOrUser.id, specialties: [...CATALOGUE_CODE_LIST], capacity: 50, phone: "022-5858 0000", contactEmail: u.email },
        });
      }
      created++;
    }
    if (created > 0) await audit({ actorEmail: "seed", action: "seed.demo", details: { users: created } }, tx);
  });
  if (created > 0) {
    await seedDemoDossier(prisma);
    await seedDemoDeferral(prisma);
    await seedDemoReview(prisma);
    await seedDemoCertificate(prisma);
  }
  return { created };
}

/** A draft application of the demo company, created like any other (number, checklist, advisor, notices). */
async function seedDemoDossier(prisma: PrismaClient) {
  const { createDossier } = await import("#app/modules/dossier/create-dossier.server.ts");
  const applicant = await prisma.user.findUniqueOrThrow({ where: { email: DEMO_USERS[0]!.email }, include: { company: true } });
  await createDossier(
    { ...applicant, companyName: applicant.company?.name ?? null, sessionId: "seed" },
    {
      productName: "一次性使用无菌注射器（带针）",
      model: "1 mL、2 mL、5 mL、10 mL",
      structure: "由外套、芯杆、活塞、注射针组成，经环氧乙烷灭菌",
      intendedUse: "供抽吸药液或在注射药液后立即注射用",
      registrationType: "FIRST",
      productKind: "DEVICE",
      catalogueCode: "14",
      greenBasis: "东丽区医疗器械产业聚集区企业，产品在本区生产。",
      greenGrounds: ["clusterCompany", "localManufacture"],
    },
  );
}

type SessionLike = Awaited<ReturnType<typeof sessionOf>>;

async function sessionOf(prisma: PrismaClient, email: string) {
  const u = await prisma.user.findUniqueOrThrow({ where: { email }, include: { company: true } });
  return { ...u, companyName: u.company?.name ?? null, sessionId: "seed" };
}

/**
 * A demo application created like any other, with every item supplied (a
 * small PDF through the real upload path) or marked not applicable, except
 * the codes in `leaveOpen`.
 */
async function filledDossier(prisma: PrismaClient, applicant: SessionLike, fields: { productName: string; model: string; structure: string; intendedUse: string; catalogueCode: string }, leaveOpen: readonly string[] = []) {
  const { createHash } = await import("node:crypto");
  const { writeFile } = await import("node:fs/promises");
  const { createDossier } = await import("#app/modules/dossier/create-dossier.server.ts");
  const { addDocumentVersion } = await import("#app/modules/dossier/add-document.server.ts");
  const { fileStore } = await import("#app/.server/file-store.ts");
  const dossier = await createDossier(applicant, {
    ...fields,
    registrationType: "FIRST",
    productKind: "DEVICE",
    greenBasis: "东丽区医疗器械产业聚集区企业，产品在本区生产。",
    greenGrounds: ["clusterCompany", "localManufacture"],
  });
  const items = await prisma.dossierItem.findMany({ where: { dossierId: dossier.id }, orderBy: { position: "asc" } });
  for (const item of items) {
    if (leaveOpen.includes(item.code) || item.requirement === "NR") continue;
    if (item.requirement === "CR") {
      await prisma.dossierItem.update({ where: { id: item.id }, data: { notApplicableReason: "本产品不涉及" } });
      continue;
    }
    const content = `%PDF-1.4\n% ${item.code} ${item.titleZh}\n%%EOF\n`;
    const tempPath = await fileStore().tempPath();
    await writeFile(tempPath, content);
    const sha256 = createHash("sha256").update(content).digest("hex");
    await addDocumentVersion(applicant, { dossierId: dossier.id, itemId: item.id }, { tempPath, sha256, size: Buffer.byteLength(content), mediaType: "application/pdf", originalName: `${item.code}.pdf` });
  }
  const version = async () => (await prisma.dossier.findUniqueOrThrow({ where: { id: dossier.id } })).version;
  return { dossier, items, version };
}

/**
 * A second application, accepted as 容缺受理: every item supplied except the
 * test report (3.4), deferred for 10 working days on a confirmed commitment,
 * so the deferral pages, letters and reminders have something to show.
 */
async function seedDemoDeferral(prisma: PrismaClient) {
  const { submitDossier } = await import("#app/modules/dossier/submit-dossier.server.ts");
  const { requestDeferral } = await import("#app/modules/deferral/request-deferral.server.ts");
  const { acceptDossier } = await import("#app/modules/deferral/accept-dossier.server.ts");
  const { loadHolidayCalendar } = await import("#app/modules/calendar/calendar.server.ts");
  const { addWorkingDays, shanghaiDate } = await import("#app/modules/calendar/working-days.ts");
  const { now } = await import("#app/.server/clock.ts");
  const applicant = await sessionOf(prisma, DEMO_USERS[0]!.email);
  const window = await sessionOf(prisma, DEMO_USERS[2]!.email);
  const { dossier, items, version } = await filledDossier(
    prisma,
    applicant,
    { productName: "医用电子体温计", model: "GL-T10、GL-T20", structure: "由温度传感器、测量电路、显示屏和电池组成", intendedUse: "供测量人体体温用", catalogueCode: "07" },
    ["3.4"],
  );
  const dueDate = addWorkingDays(await loadHolidayCalendar(), shanghaiDate(now()), 10);
  await requestDeferral(applicant, dossier.id, await version(), { itemId: items.find((i) => i.code === "3.4")!.id, dueDate, reason: "产品检验报告正在天津市医疗器械质量监督检验中心出具，预计两周内完成。" });
  await submitDossier(applicant, dossier.id, await version(), { commitment: { confirmed: true, ip: "127.0.0.1", userAgent: "demo seed" } });
  await acceptDossier(window, dossier.id, await version());
}

/**
 * A third application in technical review, waiting for the applicant's
 * supplement (发补, the review clock stopped) with an early QMS inspection
 * (提前评证) under way: the progress page, the notice and the queue's
 * paused clock have something to show.
 */
async function seedDemoReview(prisma: PrismaClient) {
  const { submitDossier } = await import("#app/modules/dossier/submit-dossier.server.ts");
  const { acceptDossier } = await import("#app/modules/deferral/accept-dossier.server.ts");
  const { handOver, requestSupplement, startQms } = await import("#app/modules/milestone/milestones.server.ts");
  const applicant = await sessionOf(prisma, DEMO_USERS[0]!.email);
  const window = await sessionOf(prisma, DEMO_USERS[2]!.email);
  const { dossier, version } = await filledDossier(prisma, applicant, {
    productName: "医用超声耦合剂",
    model: "250 mL、5 L",
    structure: "由卡波姆、甘油、纯化水等组成",
    intendedUse: "用于超声诊断时作为探头与皮肤之间的耦合介质",
    catalogueCode: "06",
  });
  await submitDossier(applicant, dossier.id, await version());
  await startQms(window, dossier.id, { version: await version(), note: "提前评证" });
  await acceptDossier(window, dossier.id, await version());
  await handOver(window, dossier.id, { version: await version() });
  await requestSupplement(window, dossier.id, {
    version: await version(),
    items: "1. 补充产品货架有效期验证资料（加速老化试验报告）\n2. 说明书中禁忌证与适用范围表述不一致，请修订",
    note: "请一次性提交全部补充资料。",
  });
}

/**
 * A fourth application taken all the way: accepted, reviewed, approved and
 * its certificate issued, so the electronic certificate, the public
 * verification (QR target) and the certificate's renewal reminders exist.
 */
async function seedDemoCertificate(prisma: PrismaClient) {
  const { submitDossier } = await import("#app/modules/dossier/submit-dossier.server.ts");
  const { acceptDossier } = await import("#app/modules/deferral/accept-dossier.server.ts");
  const { concludeReview, decideDossier, handOver } = await import("#app/modules/milestone/milestones.server.ts");
  const { certificateDraft, issueCertificate } = await import("#app/modules/certificate/issue-certificate.server.ts");
  const applicant = await sessionOf(prisma, DEMO_USERS[0]!.email);
  const window = await sessionOf(prisma, DEMO_USERS[2]!.email);
  const { dossier, version } = await filledDossier(prisma, applicant, {
    productName: "电子血压计",
    model: "GL-BP100、GL-BP200",
    structure: "由主机、袖带、充气泵和电源适配器组成",
    intendedUse: "供成人测量血压和脉率用",
    catalogueCode: "07",
  });
  await submitDossier(applicant, dossier.id, await version());
  await acceptDossier(window, dossier.id, await version());
  await handOver(window, dossier.id, { version: await version() });
  await concludeReview(window, dossier.id, { version: await version(), recommendation: "approve", summary: "产品安全有效性资料符合要求。" });
  await decideDossier(window, dossier.id, { version: await version(), decision: "approve", reason: "" });
  const draft = await certificateDraft(dossier.id);
  await issueCertificate(window, dossier.id, await version(), {
    ...draft.fields,
    registrantAddress: "天津市东丽区华明高新技术产业区示范路 8 号",
    manufacturingAddress: "天津市东丽区华明高新技术产业区示范路 8 号 3 号厂房",
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { prisma } = await import("#app/.server/db.ts");
  const result = await seedDemo(prisma);
  console.log(`demo users created: ${result.created}`);
  await prisma.$disconnect();
  await (await import("#app/.server/queue.ts")).closeEmailQueue();
}
