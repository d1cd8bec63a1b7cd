import { audit, transaction } from "#app/.server/audit.ts";
import type { SessionUser } from "#app/.server/session.ts";

export async function saveAdvisorProfile(user: SessionUser, input: { specialties: string[]; capacity: number; phone?: string; contactEmail?: string }) {
  await transaction(async (tx) => {
    const data = { specialties: input.specialties, capacity: input.capacity, phone: input.phone ?? null, contactEmail: input.contactEmail ?? null };
    await tx.advisorProfile.upsert({ where: { userId: user.id }, create: { userId: user.id, ...data }, update: data });
    await audit({ actor: user, action: "advisor.profile", objectType: "user", objectId: user.id, details: { specialties: input.specialties, capacity: input.capacity } }, tx);
  });
}
