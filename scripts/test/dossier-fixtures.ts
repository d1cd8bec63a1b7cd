import { createHash, randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { prisma, type Role } from "#app/.server/db.ts";
import { fileStore } from "#app/.server/file-store.ts";
import type { SessionUser } from "#app/.server/session.ts";
import { createDossier } from "#app/modules/dossier/create-dossier.server.ts";
import { submitDossier } from "#app/modules/dossier/submit-dossier.server.ts";
import { transitionDossier } from "#app/modules/dossier/transition-dossier.server.ts";
import { createUser } from "./harness.ts";

/* Building blocks for tests that need a dossier in a given state, through the real domain functions. */

export function sessionUser(u: { id: string; email: string; name: string; role: Role; companyId: string | null; isCompanyAdmin: boolean }): SessionUser {
  return { ...u, locale: "zh-CN", companyName: null, sessionId: "test" };
}

export const DOSSIER_FIELDS = {
  productName: "上肢康复训练器",
  model: "GL-R100",
  structure: "由主机、训练手柄和软件组成",
  intendedUse: "用于上肢功能障碍患者的康复训练",
  registrationType: "FIRST" as const,
  productKind: "DEVICE" as const,
  catalogueCode: "19",
  greenBasis: "东丽区聚集区企业",
  greenGrounds: ["clusterCompany" as const],
};

/** A small PDF in the file store's temporary area, as the upload handler would leave it. */
export async function pdfFile(content = `%PDF-1.7\n${randomUUID()}\n%%EOF\n`) {
  const tempPath = await fileStore().tempPath();
  await writeFile(tempPath, content);
  return { tempPath, sha256: createHash("sha256").update(content).digest("hex"), size: Buffer.byteLength(content), mediaType: "application/pdf", originalName: "报告.pdf" };
}

/**
 * A draft dossier of a new company whose every required item has a document
 * (rows written directly: completeness reads rows, not files) and every
 * conditional item a not-applicable reason — except the items in `leaveOpen`.
 * Returns the applicant, an assigned advisor, a window user and the dossier.
 */
export async function readyDossier(leaveOpen: readonly string[] = ["3.4"]) {
  const applicantRow = await createUser("APPLICANT");
  const applicant = sessionUser(applicantRow);
  const advisor = sessionUser(await createUser("ADVISOR"));
  await prisma.advisorProfile.create({ data: { userId: advisor.id, specialties: [], capacity: 50 } });
  const window = sessionUser(await createUser("WINDOW"));
  // A catalogue code nobody's advisor covers in tests: the dossier's advisor is set below, and the
  // assignment tests (code 19) keep their advisors' loads to themselves.
  const created = await createDossier(applicant, { ...DOSSIER_FIELDS, catalogueCode: "21" });
  await prisma.dossier.update({ where: { id: created.id }, data: { advisorId: advisor.id } });
  const items = await prisma.dossierItem.findMany({ where: { dossierId: created.id }, orderBy: { position: "asc" } });
  const open = new Set(leaveOpen);
  const content = `%PDF-1.7\nfixture\n%%EOF\n`;
  const sha256 = createHash("sha256").update(content).digest("hex");
  for (const item of items) {
    if (open.has(item.code) || item.requirement === "NR") continue;
    if (item.requirement === "CR") await prisma.dossierItem.update({ where: { id: item.id }, data: { notApplicableReason: "不适用" } });
    else await prisma.documentVersion.create({ data: { itemId: item.id, version: 1, sha256, size: BigInt(content.length), mediaType: "application/pdf", originalName: `${item.code}.pdf`, uploadedById: applicant.id } });
  }
  const dossier = await prisma.dossier.findUniqueOrThrow({ where: { id: created.id } });
  const itemByCode = (code: string) => items.find((i) => i.code === code)!;
  return { applicant, advisor, window, dossier, items, itemByCode };
}

/** The dossier's current optimistic-lock version. */
export const dossierVersion = async (dossierId: string) => (await prisma.dossier.findUniqueOrThrow({ where: { id: dossierId }, select: { version: true } })).version;

/**
 * A dossier taken by window staff through 受理 → 转技术审评 → 审评结论 → 准予注册
 * with the one transition function (no deferrals): status APPROVED, the 发证
 * clock running. For the certificate tests.
 */
export async function approvedDossier() {
  const f = await readyDossier([]);
  await submitDossier(f.applicant, f.dossier.id, f.dossier.version);
  for (const action of ["accept", "handover", "conclude", "approve"] as const) {
    const expectedVersion = await dossierVersion(f.dossier.id);
    await prisma.$transaction((tx) => transitionDossier(tx, { dossierId: f.dossier.id, expectedVersion, action, actor: f.window }));
  }
  const dossier = await prisma.dossier.findUniqueOrThrow({ where: { id: f.dossier.id } });
  return { ...f, dossier };
}
