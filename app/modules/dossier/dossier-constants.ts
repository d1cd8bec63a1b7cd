/** Small dossier constants that pages may import without pulling in the table-of-contents data. */

export const PRODUCT_KINDS = ["DEVICE", "IVD"] as const;
export const REGISTRATION_TYPES = ["FIRST", "CHANGE", "RENEWAL"] as const;
export type ProductKindT = (typeof PRODUCT_KINDS)[number];
export type RegistrationTypeT = (typeof REGISTRATION_TYPES)[number];
export type RequirementT = "R" | "CR" | "NR";

export const CHAPTERS: Record<number, { zh: string; en: string }> = {
  1: { zh: "监管信息", en: "Regulatory information" },
  2: { zh: "综述资料", en: "Summary" },
  3: { zh: "非临床资料", en: "Non-clinical evidence" },
  4: { zh: "临床评价资料", en: "Clinical evidence" },
  5: { zh: "产品说明书和标签样稿", en: "Instructions for use and labels" },
  6: { zh: "质量管理体系文件", en: "Quality management system" },
};

