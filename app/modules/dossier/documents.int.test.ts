import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma, type Role } from "#app/.server/db.ts";
import { env } from "#app/.server/env.ts";
import type { SessionUser } from "#app/.server/session.ts";
import { Client, createUser, signedInClient, startTestServer } from "#scripts/test/harness.ts";
import { peakRssGrowth, tempFiles, upload } from "#scripts/test/uploads.ts";
import { createDossier } from "./create-dossier.server.ts";

/*
 * Documents over real HTTP: streamed uploads (memory sampled while 300 MB and
 * 16 MB go through), refusals by content, the size cut, aborted uploads,
 * versions, safe names, downloads — and that another company sees none of it.
 */

let server: Awaited<ReturnType<typeof startTestServer>>;
let owner: Client;
let stranger: Client;
let advisorOther: Client;
let dossierId: string;
let itemId: string;
let secondItemId: string;

const session = (u: { id: string; email: string; name: string; role: Role; companyId: string | null; isCompanyAdmin: boolean }): SessionUser => ({
  ...u,
  locale: "zh-CN",
  companyName: null,
  sessionId: "t",
});

beforeAll(async () => {
  server = await startTestServer();
  const applicant = await createUser("APPLICANT");
  const dossier = await createDossier(session(applicant), {
    productName: "医用电子体温计",
    model: "GL-T1",
    structure: "主机、探头",
    intendedUse: "测量人体体温",
    registrationType: "FIRST",
    productKind: "DEVICE",
    catalogueCode: "07",
    greenBasis: "聚集区企业",
    greenGrounds: [],
  });
  dossierId = dossier.id;
  const items = await prisma.dossierItem.findMany({ where: { dossierId }, orderBy: { position: "asc" }, take: 2 });
  itemId = items[0]!.id;
  secondItemId = items[1]!.id;
  owner = await signedInClient(server.baseUrl, applicant.id);
  stranger = await signedInClient(server.baseUrl, (await createUser("APPLICANT")).id);
  advisorOther = await signedInClient(server.baseUrl, (await createUser("ADVISOR")).id);
});
afterAll(() => server?.close());

const uploadPath = (item = itemId) => `/dossiers/${dossierId}/items/${item}/upload`;

describe("document uploads", () => {
  it.each([
    ["300 MB", 300_000_000],
    ["16 MB", 16 * 1024 * 1024],
  ])("streams a %s PDF to disk with flat memory, hashing it on the way", async (label, size) => {
    let result: { versionId: string } | undefined;
    let digest = "";
    const growth = await peakRssGrowth(async () => {
      const { res, digest: d } = await upload(owner, uploadPath(), { filename: `large-${label}.pdf`, size });
      expect(res.status).toBe(200);
      result = (await res.json()) as { versionId: string };
      digest = d();
    });
    console.log(`[memory] ${label} upload: peak RSS growth ${growth.toFixed(1)} MiB`);
    expect(growth).toBeLessThan(128);
    const row = await prisma.documentVersion.findUniqueOrThrow({ where: { id: result!.versionId } });
    expect(row.size).toBe(BigInt(size));
    expect(row.sha256).toBe(digest);
    expect(row.mediaType).toBe("application/pdf");
  }, 120_000);

  it("keeps every upload as a new version with uploader, size and hash", async () => {
    const before = await prisma.documentVersion.count({ where: { itemId: secondItemId } });
    for (let i = 0; i < 2; i++) {
      const { res } = await upload(owner, uploadPath(secondItemId), { filename: "v.pdf", size: 1000 + i });
      expect(res.status).toBe(200);
    }
    const versions = await prisma.documentVersion.findMany({ where: { itemId: secondItemId }, orderBy: { version: "asc" } });
    expect(versions.map((v) => v.version)).toEqual(Array.from({ length: before + 2 }, (_, i) => i + 1));
    expect(new Set(versions.map((v) => v.sha256)).size).toBe(versions.length);
  });

  it("refuses a report.pdf that is HTML or an executable: clear error, no row, no temporary file", async () => {
    const enc = new TextEncoder();
    for (const head of [enc.encode("<!DOCTYPE html><html>"), new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00])]) {
      const before = await prisma.documentVersion.count();
      const { res } = await upload(owner, uploadPath(), { filename: "report.pdf", size: 5000, head });
      expect(res.status).toBe(415);
      expect(await res.json()).toMatchObject({ ok: false, error: "type" });
      expect(await prisma.documentVersion.count()).toBe(before);
    }
    expect(await tempFiles()).toEqual([]);
  });

  it("refuses an empty file", async () => {
    const { res } = await upload(owner, uploadPath(), { filename: "empty.pdf", size: 0, head: new Uint8Array(0) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "empty" });
  });

  it("cuts an upload one byte over the limit during the stream (no length header) and removes the partial file", async () => {
    const before = await prisma.documentVersion.count();
    const { res } = await upload(owner, uploadPath(), { filename: "big.pdf", size: env().UPLOAD_MAX_BYTES + 1 });
    expect(res.status).toBe(413);
    expect(await prisma.documentVersion.count()).toBe(before);
    await expect.poll(tempFiles, { timeout: 5_000 }).toEqual([]);
  }, 120_000);

  it("cleans up after a client that aborts half-way; a retry succeeds", async () => {
    const before = await prisma.documentVersion.count();
    const controller = new AbortController();
    await expect(upload(owner, uploadPath(), { filename: "abort.pdf", size: 200 * 1024 * 1024, abortAfter: 40 * 1024 * 1024, controller })).rejects.toThrow();
    await expect.poll(tempFiles, { timeout: 5_000 }).toEqual([]);
    expect(await prisma.documentVersion.count()).toBe(before);
    const { res } = await upload(owner, uploadPath(), { filename: "retry.pdf", size: 2 * 1024 * 1024 });
    expect(res.status).toBe(200);
  }, 60_000);

  it("stores hostile names safely and round-trips Chinese names in the download", async () => {
    const names = ["../../etc/passwd.pdf", "invoice\u202Efdp.pdf", `${"很长的文件名".repeat(50)}.pdf`, "注册证.pdf"];
    for (const filename of names) {
      const { res } = await upload(owner, uploadPath(secondItemId), { filename, size: 2048 });
      expect(res.status).toBe(200);
      const { versionId } = (await res.json()) as { versionId: string };
      const row = await prisma.documentVersion.findUniqueOrThrow({ where: { id: versionId } });
      expect(row.originalName).not.toMatch(/[\\/\u202e]/);
      expect([...row.originalName].length).toBeLessThanOrEqual(200);
      const download = await owner.get(`/dossiers/${dossierId}/documents/${versionId}`);
      expect(download.status).toBe(200);
      expect(download.headers.get("x-content-type-options")).toBe("nosniff");
      const disposition = download.headers.get("content-disposition")!;
      expect(disposition).toMatch(/^attachment;/);
      expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent(row.originalName)}`);
      expect(Buffer.from(await download.arrayBuffer()).byteLength).toBe(2048);
      if (filename === "注册证.pdf") expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(disposition)![1]!)).toBe("注册证.pdf");
    }
  });
});

describe("another company's user and an unassigned advisor see nothing (S1–S3)", () => {
  it("answers 404 on every dossier, item, document and receipt route, page and data URL alike", async () => {
    const doc = await prisma.documentVersion.findFirstOrThrow({ where: { item: { dossierId } } });
    const paths = [
      `/dossiers/${dossierId}`,
      `/dossiers/${dossierId}.data`,
      `/dossiers/${dossierId}/edit`,
      `/dossiers/${dossierId}/items/${itemId}`,
      `/dossiers/${dossierId}/items/${itemId}.data`,
      `/dossiers/${dossierId}/documents/${doc.id}`,
      `/dossiers/${dossierId}/documents/${doc.id}?inline=1`,
      `/dossiers/${dossierId}/receipt/${randomUUID()}`,
    ];
    for (const p of paths) {
      expect((await stranger.get(p)).status, `applicant of another company: ${p}`).toBe(404);
      if (!p.includes("/edit")) expect((await advisorOther.get(p)).status, `unassigned advisor: ${p}`).toBe(404);
    }
    const denied = await prisma.auditEvent.count({ where: { action: "access.denied", objectId: dossierId } });
    expect(denied).toBeGreaterThan(0);
  });

  it("refuses their posts: upload, edit, submit, message — nothing written", async () => {
    const before = await prisma.documentVersion.count();
    const { res } = await upload(stranger, uploadPath(), { filename: "x.pdf", size: 100 });
    expect(res.status).toBe(404);
    expect(await prisma.documentVersion.count()).toBe(before);
    const dossier = await prisma.dossier.findUniqueOrThrow({ where: { id: dossierId } });
    const forms: Record<string, string>[] = [{ intent: "submit", version: String(dossier.version) }, { intent: "message", body: "hi" }, { intent: "withdraw", reason: "x", version: String(dossier.version) }];
    for (const form of forms) {
      expect((await stranger.post(`/dossiers/${dossierId}`, form)).status).toBe(404);
    }
    expect((await stranger.post(`/dossiers/${dossierId}/edit`, { productName: "hijack", version: String(dossier.version) })).status).toBe(404);
    const after = await prisma.dossier.findUniqueOrThrow({ where: { id: dossierId } });
    expect(after.productName).toBe("医用电子体温计");
    expect(after.version).toBe(dossier.version);
    expect(await prisma.dossierMessage.count({ where: { dossierId } })).toBe(0);
  });

  it("ignores a hidden companyId on create: the company comes from the session (S2)", async () => {
    const b = await createUser("APPLICANT");
    const client = await signedInClient(server.baseUrl, b.id);
    const victim = await prisma.dossier.findUniqueOrThrow({ where: { id: dossierId } });
    const res = await client.post("/dossiers/new", {
      productName: "隐藏字段测试",
      model: "X",
      structure: "X",
      intendedUse: "X",
      registrationType: "FIRST",
      productKind: "DEVICE",
      catalogueCode: "07",
      greenBasis: "X",
      companyId: victim.companyId,
      status: "APPROVED",
      advisorId: randomUUID(),
    });
    expect(res.status).toBe(302);
    const created = await prisma.dossier.findFirstOrThrow({ where: { productName: "隐藏字段测试" } });
    expect(created.companyId).toBe(b.companyId);
    expect(created.status).toBe("DRAFT");
  });
});
