import { computeAuditHash, GENESIS_HASH, verifyChain, type ChainCheck, type ChainRow } from "#app/modules/audit/hash-chain.ts";
import { prisma, type AuditOutcome, type Prisma, type PrismaClient, type Role, type Tx } from "./db.ts";
import { logger, requestContext } from "./logger.ts";

export interface AuditActor {
  id: string;
  email: string;
  role: Role;
}

export interface AuditInput {
  actor?: AuditActor | null;
  /** For events without a signed-in actor (failed sign-in): the email that was tried. */
  actorEmail?: string | null;
  action: string;
  objectType?: string;
  objectId?: string;
  outcome?: AuditOutcome;
  details?: Record<string, unknown>;
}

// One lock key for the whole chain: rows must be appended one after another so
// each can name its predecessor's hash. The lock is held to the end of the
// enclosing transaction, so the rows are written last (see `transaction`).
const AUDIT_LOCK_KEY = 727_001;

async function append(tx: Tx, inputs: readonly AuditInput[]) {
  const ctx = requestContext.getStore();
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`;
  const last = await tx.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
  let prevHash = last?.hash ?? GENESIS_HASH;
  for (const input of inputs) {
    const [{ id }] = await tx.$queryRaw<[{ id: bigint }]>`SELECT nextval(pg_get_serial_sequence('audit_event', 'id')) AS id`;
    const row = {
      id,
      at: new Date(),
      actorId: input.actor?.id ?? null,
      actorEmail: input.actor?.email ?? input.actorEmail ?? null,
      actorRole: input.actor?.role ?? null,
      ip: ctx?.ip ?? null,
      requestId: ctx?.requestId ?? null,
      action: input.action,
      objectType: input.objectType ?? null,
      objectId: input.objectId ?? null,
      outcome: input.outcome ?? "SUCCESS",
      details: input.details ?? {},
    } as const;
    const hash = computeAuditHash(prevHash, row);
    await tx.auditEvent.create({ data: { ...row, details: row.details as object, prevHash, hash } });
    prevHash = hash;
  }
}

/** Audit rows queued by `audit(…, tx)` inside `transaction`, written when its work is done. */
const queued = new WeakMap<Tx, AuditInput[]>();

/**
 * `prisma.$transaction` for business changes: `audit(…, tx)` inside it queues
 * its row, and the rows are appended after the callback returns, just before
 * the commit. The chain's lock (one for the whole trail) is then the last lock
 * the transaction takes and is held only for the appends: no transaction waits
 * for a row lock while holding it (no lock-order deadlock between, say, a
 * submission and an upload on the same dossier), and under load the queue on
 * it stays short. `client` is for code that is handed its client (workers).
 */
export async function transaction<T>(
  fn: (tx: Tx) => Promise<T>,
  options?: { isolationLevel?: Prisma.TransactionIsolationLevel; maxWait?: number; timeout?: number },
  client: PrismaClient = prisma,
): Promise<T> {
  return client.$transaction(async (tx) => {
    const rows: AuditInput[] = [];
    queued.set(tx, rows);
    try {
      const result = await fn(tx);
      if (rows.length > 0) await append(tx, rows);
      return result;
    } finally {
      queued.delete(tx);
    }
  }, options);
}

/**
 * Appends one audit row. Pass the business transaction so the row commits (or
 * rolls back) with the change it records (inside `transaction` it is written
 * at the end of it); without one it commits on its own.
 */
export async function audit(input: AuditInput, tx?: Tx): Promise<void> {
  if (tx) {
    const rows = queued.get(tx);
    if (rows) rows.push(input);
    else await append(tx, [input]);
    return;
  }
  try {
    await prisma.$transaction((t) => append(t, [input]));
  } catch (error) {
    // A denial or failed sign-in must not turn into a 500 because auditing failed; it is logged loudly instead.
    logger.error({ err: error, action: input.action }, "audit write failed");
    throw error;
  }
}

/** Verifies the whole chain in pages of `pageSize`, naming the first broken row. */
export async function verifyAuditChain(pageSize = 5_000): Promise<ChainCheck> {
  let cursor: bigint | undefined;
  let lastHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const rows = await prisma.auditEvent.findMany({
      where: cursor === undefined ? {} : { id: { gt: cursor } },
      orderBy: { id: "asc" },
      take: pageSize,
    });
    if (rows.length === 0) return { ok: true, checked, lastHash };
    const result = verifyChain(rows as ChainRow[], lastHash, checked);
    if (!result.ok) return result;
    lastHash = result.lastHash;
    checked = result.checked;
    cursor = rows[rows.length - 1]!.id;
  }
}
