/*
 * Who coaches a new dossier (专人辅导). Pure: the caller loads the candidates.
 * 1. Continuity: the company's current advisor, if they cover the code and have capacity.
 * 2. Else the advisor covering the code with the fewest open dossiers;
 *    ties go to the one who has waited longest since their last assignment
 *    (never assigned counts as longest), then by id for a stable answer.
 * 3. Nobody → null: the dossier waits in the unassigned list for window staff.
 */

export interface AdvisorCandidate {
  id: string;
  specialties: readonly string[];
  capacity: number;
  openDossiers: number;
  lastAssignedAt: Date | null;
  active: boolean;
}

export function chooseAdvisor(
  candidates: readonly AdvisorCandidate[],
  request: { catalogueCode: string; companyAdvisorId?: string | null },
): AdvisorCandidate | null {
  const eligible = candidates.filter((c) => c.active && c.specialties.includes(request.catalogueCode) && c.openDossiers < c.capacity);
  const current = request.companyAdvisorId ? eligible.find((c) => c.id === request.companyAdvisorId) : undefined;
  if (current) return current;
  const sorted = [...eligible].sort(
    (a, b) =>
      a.openDossiers - b.openDossiers ||
      (a.lastAssignedAt?.getTime() ?? -Infinity) - (b.lastAssignedAt?.getTime() ?? -Infinity) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return sorted[0] ?? null;
}
