import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { transaction } from "#app/.server/audit.ts";
import { now } from "#app/.server/clock.ts";
import { prisma } from "#app/.server/db.ts";
import { env } from "#app/.server/env.ts";
import { createApp } from "#app/.server/http/create-app.ts";
import { loadHolidayCalendar } from "#app/modules/calendar/calendar.server.ts";
import { addWorkingDays, shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { issueCertificate } from "#app/modules/certificate/issue-certificate.server.ts";
import { acceptDossier } from "#app/modules/deferral/accept-dossier.server.ts";
import { requestDeferral } from "#app/modules/deferral/request-deferral.server.ts";
import { addDocumentVersion } from "#app/modules/dossier/add-document.server.ts";
import { flagGap } from "#app/modules/dossier/gaps.server.ts";
import { submitDossier } from "#app/modules/dossier/submit-dossier.server.ts";
import { transitionDossier } from "#app/modules/dossier/transition-dossier.server.ts";
import { dossierVersion, pdfFile, readyDossier } from "#scripts/test/dossier-fixtures.ts";

/* Shared by the access and session suite (QUALITY S1–S9): a case with a row behind every id-addressed page, snapshots, audit look-ups, an https host. */

/**
 * A company's case taken all the way, so every page that takes an id has a
 * row to ask for: a stored document, a SHOULD gap (open), a deferral of 3.4 with its commitment
 * letter, the submission (receipt), 容缺受理 with its notice, approval, and
 * the issued certificate — through the domain functions.
 */
export async function certifiedCase() {
  const f = await readyDossier(["3.4"]);
  const gapItem = f.items.find((i) => i.requirement === "R" && i.code !== "3.4")!;
  // A stored file (readyDossier's document rows have none), so the download answers its owner.
  const document = await addDocumentVersion(f.applicant, { dossierId: f.dossier.id, itemId: gapItem.id }, await pdfFile());
  await flagGap(f.advisor, f.dossier.id, gapItem.id, { text: "说明书版本号与技术要求不一致", severity: "SHOULD" });
  const dueDate = addWorkingDays(await loadHolidayCalendar(), shanghaiDate(now()), 10);
  await requestDeferral(f.applicant, f.dossier.id, await dossierVersion(f.dossier.id), { itemId: f.itemByCode("3.4").id, dueDate, reason: "检验报告尚在出具中" });
  const submission = await submitDossier(f.applicant, f.dossier.id, await dossierVersion(f.dossier.id), { commitment: { confirmed: true, ip: null, userAgent: null } });
  await acceptDossier(f.window, f.dossier.id, await dossierVersion(f.dossier.id));
  for (const action of ["handover", "conclude", "approve"] as const) {
    const expectedVersion = await dossierVersion(f.dossier.id);
    await transaction((tx) => transitionDossier(tx, { dossierId: f.dossier.id, expectedVersion, action, actor: f.window }));
  }
  const d = f.dossier;
  const certificate = await issueCertificate(f.window, d.id, await dossierVersion(d.id), {
    registrantName: f.applicant.name,
    registrantAddress: "天津市东丽区华明高新区智慧山南港 8 号",
    manufacturingAddress: "天津市东丽区华明高新区智慧山南港 9 号厂房",
    productName: d.productName,
    modelSpec: d.model,
    structure: d.structure,
    intendedUse: d.intendedUse,
    attachment: "产品技术要求",
    otherContent: "",
    remarks: "",
    authority: "天津市药品监督管理局",
    approvalDate: shanghaiDate(now()),
  });
  const [gap, letter, deferral] = await Promise.all([
    prisma.gap.findFirstOrThrow({ where: { dossierId: d.id } }),
    prisma.issuedLetter.findFirstOrThrow({ where: { dossierId: d.id, kind: "COMMITMENT" } }),
    prisma.deferral.findFirstOrThrow({ where: { dossierId: d.id } }),
  ]);
  const dossier = await prisma.dossier.findUniqueOrThrow({ where: { id: d.id } });
  return { ...f, dossier, gap, document, letter, deferral, submission, certificate };
}

/**
 * Everything a company owns, for before/after comparison. The queue's clock
 * columns are left out: the worker's sweep may recompute them at any time.
 */
export async function companySnapshot(companyId: string): Promise<string> {
  const company = await prisma.company.findUniqueOrThrow({
    where: { id: companyId },
    include: {
      // Ordered by id: rows written in one transaction share their timestamps.
      users: { orderBy: { id: "asc" }, select: { id: true, email: true, name: true, role: true, companyId: true, isCompanyAdmin: true, passwordHash: true, locale: true, active: true } },
      certificates: { orderBy: { id: "asc" } },
      dossiers: {
        orderBy: { id: "asc" },
        select: {
          id: true, number: true, companyId: true, createdById: true, productName: true, model: true, structure: true, intendedUse: true,
          catalogueCode: true, greenBasis: true, greenGrounds: true, status: true, advisorId: true, version: true, submittedAt: true, withdrawnAt: true,
          items: { orderBy: { id: "asc" }, include: { versions: { orderBy: { id: "asc" } } } },
          gaps: { orderBy: { id: "asc" }, include: { events: { orderBy: { id: "asc" } } } },
          deferrals: { orderBy: { id: "asc" } },
          messages: { orderBy: { id: "asc" } },
          events: { orderBy: { id: "asc" } },
          submissions: { orderBy: { id: "asc" } },
          letters: { orderBy: { id: "asc" } },
        },
      },
    },
  });
  return JSON.stringify(company, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
}

/** The audit rows written while serving one response (matched by its X-Request-Id). */
export async function auditRowsOf(response: Response) {
  const requestId = response.headers.get("x-request-id");
  if (!requestId) throw new Error(`${response.url}: no X-Request-Id`);
  return prisma.auditEvent.findMany({ where: { requestId }, orderBy: { id: "asc" } });
}

/** Audit rows of these actors other than access denials: what they got written. */
export const writesAuditedFor = (actorIds: string[]) => prisma.auditEvent.count({ where: { actorId: { in: actorIds }, action: { not: "access.denied" } } });

/** The sign-in form's top error (the same element for every refusal). */
export function loginError(html: string): string | null {
  return /data-testid="form-error"[^>]*>([^<]*)</.exec(html)?.[1] ?? null;
}

export const HTTPS_APP_URL = "https://portal.greenlane.test";
/** What the TLS-terminating proxy adds to each request it forwards (Remix compares the form's Origin with the forwarded host). */
export const PROXY_HEADERS = { "X-Forwarded-Proto": "https", "X-Forwarded-Host": new URL(HTTPS_APP_URL).host };

/**
 * The built portal as deployed behind a TLS-terminating proxy: APP_URL is
 * https and Express trusts the proxy on loopback (TRUST_PROXY); requests
 * carry PROXY_HEADERS. The server build reads its configuration
 * when it loads, so it is loaded a second time (a query makes it a module
 * of its own) with that environment; the first instance keeps plain http.
 */
export async function startHttpsTestServer(): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const buildDir = path.resolve(import.meta.dirname, "../..", process.env.REMIX_BUILD_DIR ?? "build");
  const saved = { APP_URL: process.env.APP_URL, TRUST_PROXY: process.env.TRUST_PROXY };
  Object.assign(process.env, { APP_URL: HTTPS_APP_URL, TRUST_PROXY: "loopback" });
  let app: ReturnType<typeof createApp>;
  try {
    const build = (await import(`${pathToFileURL(path.join(buildDir, "server/index.js")).href}?https`)) as ServerBuild;
    app = createApp({ build, config: { ...env(), APP_URL: HTTPS_APP_URL }, clientDir: path.join(buildDir, "client") });
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
