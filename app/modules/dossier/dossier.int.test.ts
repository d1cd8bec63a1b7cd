import { describe, expect, it } from "vitest";
import { prisma } from "#app/.server/db.ts";
import { createUser } from "#scripts/test/harness.ts";
import { DOSSIER_FIELDS, pdfFile, sessionUser } from "#scripts/test/dossier-fixtures.ts";
import { addDocumentVersion } from "./add-document.server.ts";
import { createDossier } from "./create-dossier.server.ts";
import { shanghaiYear } from "./dossier-number.server.ts";
import { updateDossier } from "./edit-dossier.server.ts";
import { ConflictError, DossierRuleError } from "./errors.ts";
import { flagGap, moveGap, replyToGap } from "./gaps.server.ts";
import { dossierBlockers, submitDossier } from "./submit-dossier.server.ts";
import { withdrawDossier } from "./withdraw-dossier.server.ts";

/* The dossier domain against a real database: numbering, checklist, assignment, gaps, submission, locking. */

// A catalogue code of its own per test file run, so other tests' advisors do not interfere.
const code = "19";

async function advisorWith(specialties: string[], capacity = 5) {
  const user = await createUser("ADVISOR");
  await prisma.advisorProfile.create({ data: { userId: user.id, specialties, capacity } });
  return sessionUser(user);
}

const fields = DOSSIER_FIELDS;

describe("dossiers", () => {
  it("numbers dossiers sequentially per year and generates the checklist", async () => {
    const applicant = sessionUser(await createUser("APPLICANT"));
    const a = await createDossier(applicant, fields);
    const b = await createDossier(applicant, fields);
    const [, year, seqA] = a.number.split("-");
    expect(year).toBe(String(shanghaiYear(new Date())));
    expect(Number(b.number.split("-")[2])).toBe(Number(seqA) + 1);
    const items = await prisma.dossierItem.findMany({ where: { dossierId: a.id } });
    expect(items.length).toBeGreaterThan(40);
    expect(items.find((i) => i.code === "3.4")?.secondary).toBe(true);
    expect(await prisma.dossierEvent.count({ where: { dossierId: a.id, type: "CREATED" } })).toBe(1);
  });

  it("assigns by specialty and load, keeps continuity, and leaves the dossier unassigned when nobody fits", async () => {
    const busy = await advisorWith([code], 5);
    const idle = await advisorWith([code], 5);
    const applicant = sessionUser(await createUser("APPLICANT"));
    // Give `busy` an open dossier of another company.
    const other = sessionUser(await createUser("APPLICANT"));
    await prisma.dossier.update({ where: { id: (await createDossier(other, fields)).id }, data: { advisorId: busy.id } });
    const first = await prisma.dossier.findUniqueOrThrow({ where: { id: (await createDossier(applicant, fields)).id } });
    expect([busy.id, idle.id]).toContain(first.advisorId);
    // The company's next dossier stays with the same advisor (continuity).
    const second = await prisma.dossier.findUniqueOrThrow({ where: { id: (await createDossier(applicant, fields)).id } });
    expect(second.advisorId).toBe(first.advisorId);
    const history = await prisma.advisorAssignment.findMany({ where: { dossierId: second.id } });
    expect(history[0]?.reason).toBe("auto:continuity");
    const notices = await prisma.notification.count({ where: { userId: first.advisorId!, kind: "dossierAssigned" } });
    expect(notices).toBeGreaterThanOrEqual(2);

    const orphan = await createDossier(applicant, { ...fields, catalogueCode: "20" });
    expect((await prisma.dossier.findUniqueOrThrow({ where: { id: orphan.id } })).advisorId).toBeNull();
  });

  it("blocks submission until complete, freezes the submitted versions, and moves through the transition function once", async () => {
    const advisor = await advisorWith([code], 50);
    const applicant = sessionUser(await createUser("APPLICANT"));
    const dossier = await createDossier(applicant, { ...fields, registrationType: "RENEWAL" });
    await prisma.dossier.update({ where: { id: dossier.id }, data: { advisorId: advisor.id } });
    const items = await prisma.dossierItem.findMany({ where: { dossierId: dossier.id }, orderBy: { position: "asc" } });
    expect((await dossierBlockers(dossier.id)).length).toBe(items.length);
    let version = (await prisma.dossier.findUniqueOrThrow({ where: { id: dossier.id } })).version;
    await expect(submitDossier(applicant, dossier.id, version)).rejects.toBeInstanceOf(DossierRuleError);

    for (const item of items) {
      if (item.requirement === "CR") await prisma.dossierItem.update({ where: { id: item.id }, data: { notApplicableReason: "产品无变化" } });
      else await addDocumentVersion(applicant, { dossierId: dossier.id, itemId: item.id }, await pdfFile());
    }
    const first = items[0]!;
    await addDocumentVersion(applicant, { dossierId: dossier.id, itemId: first.id }, await pdfFile());
    const versions = await prisma.documentVersion.findMany({ where: { itemId: first.id }, orderBy: { version: "asc" } });
    expect(versions.map((v) => v.version)).toEqual([1, 2]);

    // A 必须补正 gap blocks until the advisor resolves it, even after a reply.
    await flagGap(advisor, dossier.id, first.id, { text: "申请表缺少盖章页", severity: "MUST" });
    const gap = await prisma.gap.findFirstOrThrow({ where: { itemId: first.id } });
    await replyToGap(applicant, dossier.id, gap.id, "已补充盖章页");
    expect((await dossierBlockers(dossier.id)).map((b) => b.kind)).toEqual(["openGap"]);
    await moveGap(advisor, dossier.id, gap.id, "resolve");
    expect(await dossierBlockers(dossier.id)).toEqual([]);

    version = (await prisma.dossier.findUniqueOrThrow({ where: { id: dossier.id } })).version;
    const submissions = await Promise.allSettled([submitDossier(applicant, dossier.id, version), submitDossier(applicant, dossier.id, version)]);
    expect(submissions.filter((s) => s.status === "fulfilled")).toHaveLength(1);
    const rejected = submissions.find((s) => s.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ConflictError);
    const row = await prisma.dossier.findUniqueOrThrow({ where: { id: dossier.id } });
    expect(row.status).toBe("SUBMITTED");
    const submission = await prisma.submission.findFirstOrThrow({ where: { dossierId: dossier.id } });
    const snapshot = submission.snapshot as { code: string; version: number | null; versionId: string | null }[];
    expect(snapshot.find((s) => s.code === first.code)).toMatchObject({ version: 2, versionId: versions[1]!.id });
    expect(await prisma.dossierEvent.count({ where: { dossierId: dossier.id, type: "SUBMIT", toStatus: "SUBMITTED" } })).toBe(1);
    expect(await prisma.notification.count({ where: { dossierId: dossier.id, kind: "dossierSubmitted", userId: advisor.id } })).toBe(1);

    // Nothing can be uploaded to a submitted dossier outside a gap answer.
    await expect(addDocumentVersion(applicant, { dossierId: dossier.id, itemId: first.id }, await pdfFile())).rejects.toBeInstanceOf(DossierRuleError);
    await withdrawDossier(applicant, dossier.id, row.version, "产品设计调整");
    expect((await prisma.dossier.findUniqueOrThrow({ where: { id: dossier.id } })).status).toBe("WITHDRAWN");
  });

  it("two edits from the same loaded version: the second gets 'changed meanwhile', never a lost update", async () => {
    const applicant = sessionUser(await createUser("APPLICANT"));
    const dossier = await createDossier(applicant, fields);
    const { version } = await prisma.dossier.findUniqueOrThrow({ where: { id: dossier.id } });
    await updateDossier(applicant, dossier.id, version, { ...fields, productName: "第一位同事的修改" });
    await expect(updateDossier(applicant, dossier.id, version, { ...fields, productName: "第二位同事的修改" })).rejects.toBeInstanceOf(ConflictError);
    expect((await prisma.dossier.findUniqueOrThrow({ where: { id: dossier.id } })).productName).toBe("第一位同事的修改");
  });

  it("another advisor cannot flag a gap; nothing is written", async () => {
    const owner = await advisorWith([code], 50);
    const stranger = await advisorWith([code], 50);
    const applicant = sessionUser(await createUser("APPLICANT"));
    const dossier = await createDossier(applicant, fields);
    await prisma.dossier.update({ where: { id: dossier.id }, data: { advisorId: owner.id } });
    const item = await prisma.dossierItem.findFirstOrThrow({ where: { dossierId: dossier.id } });
    await expect(flagGap(stranger, dossier.id, item.id, { text: "x", severity: "MUST" })).rejects.toBeInstanceOf(DossierRuleError);
    expect(await prisma.gap.count({ where: { dossierId: dossier.id } })).toBe(0);
  });
});
