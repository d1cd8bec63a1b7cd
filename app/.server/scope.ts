import type { Prisma } from "./db.ts";
import type { SessionUser } from "./session.ts";

/*
 * Row scope by role, as Prisma `where` clauses. A row outside the scope is
 * answered with 404 by the caller (auth.notFoundInScope). Dossier scope
 * (applicant → own company, advisor → assigned, window → all) joins here with
 * the dossier model.
 */

/** Users a user may list: an applicant sees their own company; administrators see everyone; other staff see themselves. */
export function scopedUsers(user: SessionUser): Prisma.UserWhereInput {
  if (user.role === "ADMIN") return {};
  if (user.role === "APPLICANT" && user.companyId) return { companyId: user.companyId };
  return { id: user.id };
}

/**
 * Dossiers a user may see: an applicant their company's, an advisor those
 * assigned to them, window staff and administrators all; auditors none.
 */
export function scopedDossiers(user: SessionUser): Prisma.DossierWhereInput {
  switch (user.role) {
    case "APPLICANT":
      return { companyId: user.companyId ?? NO_ROW };
    case "ADVISOR":
      return { advisorId: user.id };
    case "WINDOW":
    case "ADMIN":
      return {};
    default:
      return { id: NO_ROW };
  }
}

const NO_ROW = "00000000-0000-0000-0000-000000000000";

/** Companies a user may read. */
export function scopedCompanies(user: SessionUser): Prisma.CompanyWhereInput {
  if (user.role === "APPLICANT") return { id: user.companyId ?? NO_ROW };
  return {};
}
