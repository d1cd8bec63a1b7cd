/**
 * Test-data factories for browser specs: they prepare what a journey needs
 * but does not test (forty checklist items already filled in), writing rows
 * directly into the database of the server under test. The launcher tells us
 * where it is (GREENLANE_RUNTIME_FILE, see playwright.config.ts).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";

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
