import { z } from "zod";
import { CATALOGUE_CODE_LIST, GREEN_GROUNDS } from "./catalogue-codes.ts";
import { PRODUCT_KINDS, REGISTRATION_TYPES } from "./dossier-constants.ts";

/* One schema per form, shared by react-hook-form and the actions; messages are catalogue keys. */

const text = (max: number) => z.string().trim().min(1, "errors.required").max(max, "errors.tooLong");

/** Checkbox groups arrive as a string (one box) or an array (several) or nothing. */
const stringList = z.preprocess((v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()));

export const ZDossierFields = z
  .object({
    productName: text(200),
    model: text(500),
    structure: text(4000),
    intendedUse: text(4000),
    registrationType: z.enum(REGISTRATION_TYPES, "errors.choose"),
    productKind: z.enum(PRODUCT_KINDS, "errors.choose"),
    catalogueCode: z.enum(CATALOGUE_CODE_LIST as [string, ...string[]], "errors.choose"),
    greenBasis: text(4000),
    greenGrounds: stringList.pipe(z.array(z.enum(GREEN_GROUNDS))),
  })
  .superRefine((v, ctx) => {
    // IVD reagents are catalogued under 40, devices under 01–22 (DOMAIN.md "Numbers and codes").
    if ((v.productKind === "IVD") !== (v.catalogueCode === "40")) {
      ctx.addIssue({ code: "custom", path: ["catalogueCode"], message: "dossierErrors.codeKind" });
    }
  });
export type TDossierFields = z.infer<typeof ZDossierFields>;

export const ZCreateDossier = ZDossierFields;

/** Editing a draft carries the version it was loaded at (optimistic locking). */
export const ZUpdateDossier = z.intersection(ZDossierFields, z.object({ version: z.coerce.number().int().min(1) }));

export const ZNotApplicable = z.object({
  reason: z.string().trim().max(2000, "errors.tooLong"),
  version: z.coerce.number().int().min(1),
});

export const ZFlagGap = z.object({
  text: text(4000),
  severity: z.enum(["MUST", "SHOULD"], "errors.choose"),
});

export const ZGapReply = z.object({ text: z.string().trim().max(4000, "errors.tooLong") });

export const ZMessage = z.object({ body: text(4000) });

export const ZWithdraw = z.object({ reason: text(2000), version: z.coerce.number().int().min(1) });

export const ZSubmit = z.object({ version: z.coerce.number().int().min(1) });

export const ZReassign = z.object({ advisorId: z.uuid("errors.choose"), reason: text(500) });

export const ZAdvisorProfile = z.object({
  specialties: stringList.pipe(z.array(z.enum(CATALOGUE_CODE_LIST as [string, ...string[]])).min(1, "dossierErrors.specialties")),
  capacity: z.coerce.number().int("errors.integer").min(0, "errors.integer").max(200, "errors.integer"),
  phone: z
    .string()
    .trim()
    .regex(/^([0-9+\-() ]{5,30})?$/, "errors.contactPhone")
    .optional()
    .transform((v) => v || undefined),
  contactEmail: z
    .string()
    .trim()
    .max(254)
    .refine((v) => v === "" || z.email().safeParse(v).success, "errors.email")
    .optional()
    .transform((v) => v || undefined),
});
