/*
 * The completeness check (like FDA eSTAR's): everything that blocks
 * submission, in one list. Pure, so the panel, the submit action and the
 * tests agree.
 */

export interface CompletenessItem {
  id: string;
  code: string;
  requirement: "R" | "CR" | "NR";
  versionCount: number;
  notApplicableReason: string | null;
}

export interface CompletenessGap {
  id: string;
  itemId: string;
  severity: "MUST" | "SHOULD";
  state: "OPEN" | "RESPONDED" | "RESOLVED" | "REOPENED";
}

export type Blocker =
  | { kind: "missingRequired"; itemId: string; code: string }
  | { kind: "missingConditional"; itemId: string; code: string }
  | { kind: "openGap"; itemId: string; gapId: string; code: string };

export interface CompletenessInput {
  items: CompletenessItem[];
  gaps: CompletenessGap[];
  /**
   * Items the applicant defers (容缺后补). The deferral capability fills this
   * seam: a deferred item without a document does not block submission.
   */
  deferredItemIds?: ReadonlySet<string>;
}

/** A 必须补正 gap blocks until the advisor resolves it; a reply alone is not enough. */
const BLOCKING_GAP_STATES = new Set(["OPEN", "RESPONDED", "REOPENED"]);

export function completenessBlockers({ items, gaps, deferredItemIds = new Set() }: CompletenessInput): Blocker[] {
  const blockers: Blocker[] = [];
  const codeOf = new Map(items.map((i) => [i.id, i.code]));
  for (const item of items) {
    if (item.versionCount > 0 || deferredItemIds.has(item.id)) continue;
    if (item.requirement === "R") blockers.push({ kind: "missingRequired", itemId: item.id, code: item.code });
    else if (item.requirement === "CR" && !item.notApplicableReason?.trim()) blockers.push({ kind: "missingConditional", itemId: item.id, code: item.code });
  }
  for (const gap of gaps) {
    if (gap.severity === "MUST" && BLOCKING_GAP_STATES.has(gap.state)) {
      blockers.push({ kind: "openGap", itemId: gap.itemId, gapId: gap.id, code: codeOf.get(gap.itemId) ?? "" });
    }
  }
  return blockers;
}
