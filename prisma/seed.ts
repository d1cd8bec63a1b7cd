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
  if (created > 0) await seedDemoDossier(prisma);
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { prisma } = await import("#app/.server/db.ts");
  const result = await seedDemo(prisma);
  console.log(`demo users created: ${result.created}`);
  await prisma.$disconnect();
}
