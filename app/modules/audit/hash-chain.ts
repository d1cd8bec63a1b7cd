import { createHash } from "node:crypto";

/** The genesis value a chain starts from. */
export const GENESIS_HASH = "0".repeat(64);

export interface ChainedFields {
  id: bigint | number | string;
  at: Date;
  actorId: string | null;
  actorEmail: string | null;
  actorRole: string | null;
  ip: string | null;
  requestId: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  outcome: string;
  details: unknown;
}

/** JSON with object keys sorted at every depth: jsonb reorders keys, so the hash must not depend on order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export function computeAuditHash(prevHash: string, row: ChainedFields): string {
  const payload = canonicalJson({
    prevHash,
    id: String(row.id),
    at: row.at.toISOString(),
    actorId: row.actorId,
    actorEmail: row.actorEmail,
    actorRole: row.actorRole,
    ip: row.ip,
    requestId: row.requestId,
    action: row.action,
    objectType: row.objectType,
    objectId: row.objectId,
    outcome: row.outcome,
    details: row.details ?? {},
  });
  return createHash("sha256").update(payload, "utf8").digest("hex");
}

export type ChainRow = ChainedFields & { prevHash: string; hash: string };

export type ChainCheck =
  | { ok: true; checked: number; lastHash: string }
  | { ok: false; checked: number; brokenId: string; reason: "prev-hash-mismatch" | "hash-mismatch" };

/**
 * Walks rows in id order. `startHash` lets a caller verify in pages: pass the
 * previous page's lastHash.
 */
export function verifyChain(rows: Iterable<ChainRow>, startHash = GENESIS_HASH, startCount = 0): ChainCheck {
  let prev = startHash;
  let checked = startCount;
  for (const row of rows) {
    if (row.prevHash !== prev) return { ok: false, checked, brokenId: String(row.id), reason: "prev-hash-mismatch" };
    if (computeAuditHash(row.prevHash, row) !== row.hash)
      return { ok: false, checked, brokenId: String(row.id), reason: "hash-mismatch" };
    prev = row.hash;
    checked++;
  }
  return { ok: true, checked, lastHash: prev };
}
