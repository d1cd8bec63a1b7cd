import type { TokenPurpose, Tx } from "#app/.server/db.ts";
import { randomToken, sha256 } from "#app/.server/session.ts";

export const TOKEN_TTL_MS: Record<TokenPurpose, number> = {
  VERIFY_EMAIL: 24 * 3_600_000,
  RESET_PASSWORD: 3_600_000,
  INVITE: 7 * 24 * 3_600_000,
};

/** Issues a one-time token (only its hash is stored); earlier unused tokens of the same purpose are voided. */
export async function issueToken(tx: Tx, userId: string, purpose: TokenPurpose, now = new Date()): Promise<string> {
  await tx.userToken.updateMany({ where: { userId, purpose, usedAt: null }, data: { usedAt: now } });
  const token = randomToken();
  await tx.userToken.create({
    data: { userId, purpose, tokenHash: sha256(token), expiresAt: new Date(now.getTime() + TOKEN_TTL_MS[purpose]) },
  });
  return token;
}

/** The unused, unexpired token row with its user, or null. */
export async function findValidToken(tx: Tx, token: string, purpose: TokenPurpose, now = new Date()) {
  if (!token || token.length < 16) return null;
  const row = await tx.userToken.findUnique({
    where: { tokenHash: sha256(token) },
    include: { user: { include: { company: { select: { name: true } } } } },
  });
  if (!row || row.purpose !== purpose || row.usedAt || row.expiresAt <= now) return null;
  return row;
}

/** Marks the token used; false if someone else used it first (a double click), so callers can stop. */
export async function consumeToken(tx: Tx, tokenId: string, now = new Date()): Promise<boolean> {
  const { count } = await tx.userToken.updateMany({ where: { id: tokenId, usedAt: null }, data: { usedAt: now } });
  return count === 1;
}

export function appLink(path: string, token: string): string {
  return `${path}?token=${encodeURIComponent(token)}`;
}
