import type { Tx } from "#app/.server/db.ts";

/** Asia/Shanghai calendar year of an instant (DOMAIN.md: dates are Shanghai dates). */
export function shanghaiYear(at: Date): number {
  return Number(new Intl.DateTimeFormat("en", { timeZone: "Asia/Shanghai", year: "numeric" }).format(at));
}

export const formatDossierNumber = (year: number, seq: number) => `GL-${year}-${String(seq).padStart(6, "0")}`;

/**
 * The next reference number of the year, allocated inside the caller's
 * transaction: the counter row is locked by the upsert, so numbers are unique
 * and without gaps among committed dossiers.
 */
export async function nextDossierNumber(tx: Tx, at = new Date()): Promise<string> {
  const year = shanghaiYear(at);
  const [row] = await tx.$queryRaw<{ last: number }[]>`
    INSERT INTO dossier_counter (year, last) VALUES (${year}, 1)
    ON CONFLICT (year) DO UPDATE SET last = dossier_counter.last + 1
    RETURNING last`;
  return formatDossierNumber(year, row!.last);
}
