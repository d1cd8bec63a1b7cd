import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { applyMigrations } from "../../prisma/migrate-engine.ts";
import type { PrismaClient } from "./db.ts";

/*
 * The audit table on a database of its own (this test edits rows as a
 * superuser, which would break the shared run's chain): the trigger refuses
 * UPDATE/DELETE/TRUNCATE, and the chain check names the first edited row.
 */
const dbName = `greenlane_audit_${randomBytes(4).toString("hex")}`;
const serverUrl = inject("adminDatabaseUrl");
const url = new URL(serverUrl);
url.pathname = `/${dbName}`;

let isolated: PrismaClient;
let auditModule: typeof import("./audit.ts");

beforeAll(async () => {
  await applyMigrations(url.href);
  // The app modules read DATABASE_URL when first imported: point this file's at the isolated database.
  process.env.DATABASE_URL = url.href;
  isolated = (await import("./db.ts")).prisma;
  auditModule = await import("./audit.ts");
});

afterAll(async () => {
  await isolated?.$disconnect();
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.end();
});

describe("audit trail", () => {
  it("chains rows and verifies the chain", async () => {
    for (let i = 0; i < 5; i++) {
      await auditModule.audit({ actorEmail: `u${i}@x.cn`, action: "test.event", details: { i, nested: { b: 2, a: 1 }, text: "审计\r\nfake line" } });
    }
    const result = await auditModule.verifyAuditChain(2);
    expect(result).toMatchObject({ ok: true, checked: 5 });
  });

  it("keeps the chain intact when many rows are written at once", async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => auditModule.audit({ action: "test.parallel", details: { i } })));
    expect((await auditModule.verifyAuditChain()).ok).toBe(true);
  });

  it("writes a transaction's rows at its end, so the chain's lock is free while its work runs", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let visibleInside = -1;
    const slow = auditModule.transaction(async (tx) => {
      await auditModule.audit({ action: "test.deferred", details: { n: 1 } }, tx);
      await auditModule.audit({ action: "test.deferred", details: { n: 2 } }, tx);
      visibleInside = await tx.auditEvent.count({ where: { action: "test.deferred" } });
      await held;
      return "done";
    });
    await expect.poll(() => visibleInside).toBe(0);
    // Another writer appends while the slow transaction is still open; it would wait for the lock
    // (here: for ever) if audit() inside a transaction took it when called.
    const meanwhile = auditModule.audit({ action: "test.meanwhile" });
    const outcome = await Promise.race([meanwhile.then(() => "appended"), new Promise((resolve) => setTimeout(() => resolve("blocked"), 3_000))]);
    release();
    expect(outcome).toBe("appended");
    await expect(slow).resolves.toBe("done");
    const rows = await isolated.auditEvent.findMany({ where: { action: { in: ["test.deferred", "test.meanwhile"] } }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.action, (r.details as { n?: number }).n ?? null])).toEqual([
      ["test.meanwhile", null],
      ["test.deferred", 1],
      ["test.deferred", 2],
    ]);
    expect((await auditModule.verifyAuditChain()).ok).toBe(true);
  });

  it("writes no row for a transaction that rolls back", async () => {
    await expect(
      auditModule.transaction(async (tx) => {
        await auditModule.audit({ action: "test.rolledBack" }, tx);
        throw new Error("business rule");
      }),
    ).rejects.toThrow("business rule");
    expect(await isolated.auditEvent.count({ where: { action: "test.rolledBack" } })).toBe(0);
  });

  it("refuses UPDATE, DELETE and TRUNCATE from the application", async () => {
    await expect(isolated.$executeRawUnsafe(`UPDATE audit_event SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(isolated.$executeRawUnsafe(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
    await expect(isolated.$executeRawUnsafe(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
  });

  it("names the first row a superuser edited behind the trigger's back", async () => {
    const rows = await isolated.auditEvent.findMany({ orderBy: { id: "asc" }, select: { id: true } });
    const target = rows[3]!.id;
    const su = new pg.Client({ connectionString: url.href });
    await su.connect();
    await su.query("ALTER TABLE audit_event DISABLE TRIGGER USER");
    await su.query(`UPDATE audit_event SET details = '{"i": 99}' WHERE id = $1`, [target.toString()]);
    await su.query("ALTER TABLE audit_event ENABLE TRIGGER USER");
    await su.end();
    const result = await auditModule.verifyAuditChain(2);
    expect(result).toMatchObject({ ok: false, brokenId: target.toString(), reason: "hash-mismatch" });
  });
});
