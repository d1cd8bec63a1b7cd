/**
 * Test-data factories for browser specs: they prepare what a journey needs
 * but does not test (forty checklist items already filled in), writing rows
 * directly into the database of the server under test. The launcher tells us
 * where it is (GREENLANE_RUNTIME_FILE, see playwright.config.ts).
 */
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { uniqueEmail } from "./fixtures.ts";

function databaseUrl(): string {
  const file = process.env.E2E_RUNTIME_FILE;
  if (!file) throw new Error("E2E_RUNTIME_FILE is not set (run through playwright.config.ts)");
  return (JSON.parse(readFileSync(file, "utf8")) as { DATABASE_URL: string }).DATABASE_URL;
}

async function withDb<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Fills every checklist item of the dossier `number` except `except`: required
 * items get a document version (row only: the journey never downloads them),
 * conditional ones a not-applicable reason.
 */
export async function fillChecklistExcept(number: string, except: readonly string[]): Promise<void> {
  const content = "%PDF-1.4\n% factory\n%%EOF\n";
  const sha256 = createHash("sha256").update(content).digest("hex");
  await withDb(async (db) => {
    await db.query("BEGIN");
    const { rows } = await db.query<{ id: string; code: string; requirement: string; created_by_id: string }>(
      `SELECT i.id, i.code, i.requirement, d.created_by_id FROM dossier_item i JOIN dossier d ON d.id = i.dossier_id WHERE d.number = $1`,
      [number],
    );
    if (rows.length === 0) throw new Error(`no dossier ${number}`);
    for (const item of rows) {
      if (except.includes(item.code) || item.requirement === "NR") continue;
      if (item.requirement === "CR") {
        await db.query(`UPDATE dossier_item SET not_applicable_reason = $2 WHERE id = $1`, [item.id, "本产品不涉及"]);
      } else {
        await db.query(
          `INSERT INTO document_version (id, item_id, version, sha256, size, media_type, original_name, uploaded_by_id)
           VALUES (gen_random_uuid(), $1, 1, $2, $3, 'application/pdf', $4, $5)`,
          [item.id, sha256, content.length, `${item.code}.pdf`, item.created_by_id],
        );
      }
    }
    await db.query("COMMIT");
  });
}

/** The demo seed's applications (prisma/seed.ts), by product name. */
const DEMO_PRODUCTS = {
  /** A draft, nothing uploaded. */
  draft: "一次性使用无菌注射器（带针）",
  /** 容缺受理: 3.4 deferred, commitment letter and deferral notice issued. */
  deferral: "医用电子体温计",
  /** In technical review, waiting for a supplement (发补 notice), QMS inspection running. */
  review: "医用超声耦合剂",
  /** Approved, certificate issued. */
  certified: "电子血压计",
} as const;

export interface SeededDossier {
  id: string;
  number: string;
  /** The item of its latest deferral, else one with a document, else its first item. */
  itemId: string;
  /** Its latest submission, if submitted. */
  submissionId: string | null;
  /** Its issued letters and notices, oldest first. */
  letterIds: string[];
  certificate: { id: string; number: string } | null;
}

export interface DemoRecords {
  dossiers: Record<keyof typeof DEMO_PRODUCTS, SeededDossier>;
  /** The indicator counted from certificates (医疗器械证) and a manually entered one. */
  indicators: { counted: string; manual: string };
  /** The demo applicant's user id. */
  applicantId: string;
  /** A message in the development mailbox (the seed's notifications reach it once the worker has sent them). */
  mailMessageId: string;
}

async function seededDossier(db: pg.Client, productName: string): Promise<SeededDossier> {
  // Specs add dossiers of their own to the demo company: the seed's is the first with its name.
  const { rows } = await db.query<{ id: string; number: string }>(`SELECT id, number FROM dossier WHERE product_name = $1 ORDER BY created_at LIMIT 1`, [productName]);
  const dossier = rows[0];
  if (!dossier) throw new Error(`no seeded dossier "${productName}"`);
  const first = async <T extends pg.QueryResultRow>(sql: string) => (await db.query<T>(sql, [dossier.id])).rows[0];
  const item =
    (await first<{ id: string }>(`SELECT item_id AS id FROM deferral WHERE dossier_id = $1 ORDER BY requested_at DESC LIMIT 1`)) ??
    (await first<{ id: string }>(`SELECT i.id FROM dossier_item i WHERE i.dossier_id = $1 AND EXISTS (SELECT 1 FROM document_version v WHERE v.item_id = i.id) ORDER BY i.position LIMIT 1`)) ??
    (await first<{ id: string }>(`SELECT id FROM dossier_item WHERE dossier_id = $1 ORDER BY position LIMIT 1`));
  if (!item) throw new Error(`seeded dossier "${productName}" has no items`);
  const submission = await first<{ id: string }>(`SELECT id FROM submission WHERE dossier_id = $1 ORDER BY sequence DESC LIMIT 1`);
  const certificate = await first<{ id: string; number: string }>(`SELECT id, number FROM certificate WHERE dossier_id = $1`);
  const letters = await db.query<{ id: string }>(`SELECT id FROM issued_letter WHERE dossier_id = $1 ORDER BY issued_at`, [dossier.id]);
  return { ...dossier, itemId: item.id, submissionId: submission?.id ?? null, letterIds: letters.rows.map((l) => l.id), certificate: certificate ?? null };
}

/** Ids of the demo seed's records, for specs that open every page. Waits up to `mailWaitMs` for the first mailbox message. */
export async function demoRecords(mailWaitMs = 20_000): Promise<DemoRecords> {
  return withDb(async (db) => {
    const dossiers = {} as DemoRecords["dossiers"];
    for (const [key, productName] of Object.entries(DEMO_PRODUCTS) as [keyof typeof DEMO_PRODUCTS, string][]) dossiers[key] = await seededDossier(db, productName);
    const indicator = async (source: string) =>
      (await db.query<{ id: string }>(`SELECT id FROM indicator WHERE source = $1 ORDER BY position LIMIT 1`, [source])).rows[0]?.id ?? "";
    const applicant = await db.query<{ id: string }>(`SELECT id FROM "user" WHERE email = 'applicant@demo.greenlane.local'`);
    const firstMail = async () => (await db.query<{ id: string }>(`SELECT id FROM dev_mail_message ORDER BY received_at LIMIT 1`)).rows[0]?.id ?? "";
    const deadline = Date.now() + mailWaitMs;
    let mailMessageId = await firstMail();
    while (!mailMessageId && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      mailMessageId = await firstMail();
    }
    if (!mailMessageId) throw new Error(`no message reached the development mailbox within ${mailWaitMs} ms`);
    return {
      dossiers,
      indicators: { counted: await indicator("CERTIFICATES"), manual: await indicator("MANUAL") },
      applicantId: applicant.rows[0]?.id ?? "",
      mailMessageId,
    };
  });
}

export type LinkPurpose = "VERIFY_EMAIL" | "RESET_PASSWORD" | "INVITE";

/**
 * A valid one-time link token of `purpose` for a fresh staff user who has not
 * set a password (an invitee), stored as app/modules/auth/tokens.server.ts
 * stores it (only its SHA-256). Returns the token and the user's id.
 */
export async function issueLinkToken(purpose: LinkPurpose): Promise<{ token: string; userId: string }> {
  const token = randomBytes(32).toString("base64url");
  const tokenHash = createHash("sha256").update(token).digest("hex");
  return withDb(async (db) => {
    await db.query("BEGIN");
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO "user" (id, email, name, role, updated_at) VALUES (gen_random_uuid(), $1, '测试审计员', 'AUDITOR', now()) RETURNING id`,
      [uniqueEmail("link")],
    );
    const userId = rows[0]!.id;
    await db.query(`INSERT INTO user_token (id, user_id, purpose, token_hash, expires_at) VALUES (gen_random_uuid(), $1, $2, $3, now() + interval '1 hour')`, [userId, purpose, tokenHash]);
    await db.query("COMMIT");
    return { token, userId };
  });
}
