import { createHash, randomInt } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma, type Role } from "#app/.server/db.ts";
import { fileStore } from "#app/.server/file-store.ts";
import { addDocumentVersion } from "#app/modules/dossier/add-document.server.ts";
import { createDossier } from "#app/modules/dossier/create-dossier.server.ts";
import { letterHash, LETTER_TEMPLATE_VERSION, type LetterContent } from "#app/modules/deferral/letters.ts";
import { ALL_ROLES, ROUTE_ACCESS } from "#app/route-access.ts";
import { Client, createUser, signedInClient, startTestServer } from "#scripts/test/harness.ts";

/*
 * Every route module is in the expectation table, and every route answers
 * each role as the table says: allowed roles get the page, other roles 403,
 * anonymous users the sign-in page. A new route without a guard, or missing
 * from the table, fails here.
 */

const routesDir = path.join(import.meta.dirname, "routes");
const routeIds = readdirSync(routesDir)
  .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
  .map((f) => f.replace(/\.tsx?$/, ""));

describe("route inventory", () => {
  it("lists every route module in the access table, and nothing else", () => {
    expect(routeIds.sort()).toEqual(Object.keys(ROUTE_ACCESS).sort());
  });
});

// Route modules that export an action, read from the route files themselves.
const actionRoutes = new Set(
  routeIds.filter((id) => {
    const file = readdirSync(routesDir).find((f) => f.replace(/\.tsx?$/, "") === id)!;
    return /export (async )?function action\b/.test(readFileSync(path.join(routesDir, file), "utf8"));
  }),
);

describe("route guards", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const clients = new Map<Role, Client>();
  const params: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer();
    const users = new Map<Role, Awaited<ReturnType<typeof createUser>>>();
    for (const role of ALL_ROLES) {
      const user = await createUser(role);
      users.set(role, user);
      clients.set(role, await signedInClient(server.baseUrl, user.id));
    }
    const applicant = users.get("APPLICANT")!;
    params.userId = applicant.id;
    const mail = await prisma.devMailMessage.create({ data: { fromAddr: "a@b.c", toAddrs: ["x@y.z"], subject: "guard test" } });
    params.messageId = mail.id;
    // A dossier of the applicant's company, coached by the ADVISOR user, with a document and a submission.
    const dossier = await createDossier({ ...applicant, locale: "zh-CN", companyName: null, sessionId: "t" }, {
      productName: "路由测试产品", model: "M", structure: "S", intendedUse: "U", registrationType: "FIRST", productKind: "DEVICE",
      catalogueCode: "07", greenBasis: "B", greenGrounds: [],
    });
    await prisma.dossier.update({ where: { id: dossier.id }, data: { advisorId: users.get("ADVISOR")!.id } });
    const item = await prisma.dossierItem.findFirstOrThrow({ where: { dossierId: dossier.id }, orderBy: { position: "asc" } });
    const content = "%PDF-1.7\nroute guard test\n";
    const tempPath = await fileStore().tempPath();
    await writeFile(tempPath, content);
    const version = await addDocumentVersion({ ...applicant, locale: "zh-CN", companyName: null, sessionId: "t" }, { dossierId: dossier.id, itemId: item.id }, {
      tempPath, sha256: createHash("sha256").update(content).digest("hex"), size: content.length, mediaType: "application/pdf", originalName: "guard.pdf",
    });
    const submission = await prisma.submission.create({ data: { dossierId: dossier.id, sequence: 1, submittedById: applicant.id, snapshot: [] } });
    // An issued letter (容缺受理通知书) of the dossier, for the printable letter page.
    const notice: LetterContent = {
      templateVersion: LETTER_TEMPLATE_VERSION,
      kind: "DEFERRAL_NOTICE",
      dossier: { id: dossier.id, number: dossier.number, productName: "路由测试产品", model: "M", registrationType: "FIRST", productKind: "DEVICE" },
      company: { name: applicant.company!.name, uscc: applicant.company!.uscc },
      items: [],
      policy: { maxDeferralWorkingDays: 30, graceWorkingDays: 15, barMonths: 12 },
      person: { name: "窗口", email: "window@example.cn" },
      at: new Date().toISOString(),
      date: new Date().toISOString().slice(0, 10),
      ip: null,
    };
    const letter = await prisma.issuedLetter.create({
      data: { dossierId: dossier.id, kind: "DEFERRAL_NOTICE", sequence: 1, content: notice as object, sha256: letterHash(notice), issuedById: users.get("WINDOW")!.id },
    });
    // An indicator of 表1, and a value of it with evidence (the document's stored content), for the indicator pages.
    const indicator = await prisma.indicator.findFirstOrThrow({ where: { source: "MANUAL" }, orderBy: { position: "asc" } });
    const indicatorValue = await prisma.indicatorValue.create({
      data: { indicatorId: indicator.id, value: 1, asOf: new Date("2021-06-30T00:00:00Z"), enteredById: users.get("WINDOW")!.id, evidenceSha256: version.sha256, evidenceName: "guard.pdf", evidenceMediaType: "application/pdf", evidenceSize: version.size },
    });
    // A green-channel certificate of the applicant's company (year 2015: clear of the serials the certificate tests allocate).
    const certificate = await prisma.certificate.create({
      data: {
        number: `津械注准2015207${randomInt(1000, 10000)}`, kind: "REGISTRATION", deviceClass: 2, source: "GREEN_CHANNEL", state: "VALID",
        companyId: applicant.companyId!, dossierId: dossier.id, registrantName: "路由测试企业", registrantAddress: "天津市东丽区", manufacturingAddress: "天津市东丽区",
        productName: "路由测试产品", modelSpec: "M", structure: "S", intendedUse: "U", authority: "天津市药品监督管理局",
        approvalDate: new Date("2015-06-01T00:00:00Z"), validUntil: new Date("2020-05-31T00:00:00Z"), recordedById: users.get("WINDOW")!.id,
      },
    });
    params.certificateId = certificate.id;
    Object.assign(params, { dossierId: dossier.id, itemId: item.id, versionId: version.id, submissionId: submission.id, letterId: letter.id, indicatorId: indicator.id, indicatorValueId: indicatorValue.id });
  });
  afterAll(() => server?.close());

  const fill = (p: string) => p.replace(/:(\w+)/g, (_, k: string) => params[k] ?? k);
  const gated = Object.entries(ROUTE_ACCESS).filter(([, r]) => r.access !== "public");

  it.each(gated)("%s: anonymous users are sent to sign in", async (_id, route) => {
    const res = await new Client(server.baseUrl).get(fill(route.path));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/login/);
  });

  for (const [id, route] of gated) {
    for (const role of ALL_ROLES) {
      const allowed = (route.access as readonly Role[]).includes(role);
      it(`${id}: ${role} ${allowed ? "may open it" : "is refused"} (page and data URL)`, async () => {
        const client = clients.get(role)!;
        const page = await client.get(fill(route.path));
        if (allowed && route.resource) expect([200, 302, 303]).toContain(page.status);
        else expect(page.status).toBe(allowed ? 200 : 403);
        // The single-fetch data URL of the same loader answers the same (resource routes have none).
        if (!route.resource) {
          const data = await client.get(`${fill(route.path)}.data`);
          expect(data.status).toBe(allowed ? 200 : 403);
        }
        if (!allowed) {
          const body = await page.text();
          expect(body).not.toContain("testAPPLICANT@");
        }
      });
    }
  }

  // Actions are guarded on their own: a POST from a refused role writes nothing and answers 403.
  const withActions = gated.filter(([id]) => actionRoutes.has(id));
  it.each(withActions.flatMap(([id, route]) => ALL_ROLES.filter((r) => !(route.access as readonly Role[]).includes(r)).map((role) => [id, role, route] as const)))(
    "%s: POST as %s is refused",
    async (_id, role, route) => {
      const before = await prisma.user.count();
      const res = await clients.get(role)!.post(fill(route.path), { intent: "unlock", name: "x", email: "guard@example.cn", role: "ADMIN" });
      expect(res.status).toBe(403);
      expect(await prisma.user.count()).toBe(before);
    },
  );

  it.each(withActions)("%s: anonymous POST is sent to sign in", async (_id, route) => {
    const res = await new Client(server.baseUrl).post(fill(route.path), { name: "x" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/login/);
  });

  it("refusals are written to the audit log", async () => {
    const before = await prisma.auditEvent.count({ where: { action: "access.denied", outcome: "DENIED" } });
    await clients.get("APPLICANT")!.get("/admin");
    const after = await prisma.auditEvent.count({ where: { action: "access.denied", outcome: "DENIED" } });
    expect(after).toBe(before + 1);
  });

  it.each(Object.entries(ROUTE_ACCESS).filter(([, r]) => r.access === "public"))("%s: public route answers without error", async (_id, route) => {
    const res = await new Client(server.baseUrl).get(route.path);
    expect([200, 302]).toContain(res.status);
  });

  it("a row outside the scope is a 404, not a 403", async () => {
    const res = await clients.get("ADMIN")!.get("/admin/users/00000000-0000-4000-8000-000000000000");
    expect(res.status).toBe(404);
  });
});
