import { z } from "zod";
import tocData from "./data/toc.json";
import { PRODUCT_KINDS, REGISTRATION_TYPES, type ProductKindT, type RegistrationTypeT, type RequirementT } from "./dossier-constants.ts";

export { CHAPTERS, PRODUCT_KINDS, REGISTRATION_TYPES, type ProductKindT, type RegistrationTypeT, type RequirementT } from "./dossier-constants.ts";

/*
 * The dossier checklist is generated from the table of contents kept as data
 * (data/toc.json, Notice 2021-121 Annex 5 and 2021-122): items apply to a
 * product kind and registration type, with the requirement (R / CR / NR)
 * optionally overridden per registration type.
 */

const ZRequirement = z.enum(["R", "CR", "NR"]);
const ZTocItem = z.object({
  code: z.string().regex(/^\d+(\.\d+)*$/),
  chapter: z.number().int().min(1).max(6),
  zh: z.string().min(1),
  en: z.string().min(1),
  requirement: ZRequirement,
  kinds: z.array(z.enum(PRODUCT_KINDS)).min(1),
  types: z.array(z.enum(REGISTRATION_TYPES)).min(1),
  byType: z.partialRecord(z.enum(REGISTRATION_TYPES), ZRequirement).optional(),
  secondary: z.boolean().optional(),
});
export const ZTableOfContents = z.object({
  version: z.string().min(1),
  source: z.string(),
  note: z.string().optional(),
  items: z.array(ZTocItem).min(1),
});
export type TableOfContents = z.infer<typeof ZTableOfContents>;

/** The current catalogue, validated when first loaded. */
export const TABLE_OF_CONTENTS: TableOfContents = ZTableOfContents.parse(tocData);

export interface ChecklistItem {
  code: string;
  chapter: number;
  titleZh: string;
  titleEn: string;
  requirement: RequirementT;
  secondary: boolean;
  position: number;
}

/** Orders codes numerically part by part ("3.10" after "3.9"). */
export function compareCodes(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

export function buildChecklist(kind: ProductKindT, type: RegistrationTypeT, toc: TableOfContents = TABLE_OF_CONTENTS): ChecklistItem[] {
  return toc.items
    .filter((item) => item.kinds.includes(kind) && item.types.includes(type))
    .sort((a, b) => compareCodes(a.code, b.code))
    .map((item, position) => ({
      code: item.code,
      chapter: item.chapter,
      titleZh: item.zh,
      titleEn: item.en,
      requirement: item.byType?.[type] ?? item.requirement,
      secondary: item.secondary ?? false,
      position,
    }));
}
