import type { reviewZhCN } from "./review.zh-CN.ts";

type Widen<T> = { -readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

/** Strings of the review pages (English); the shape is checked against zh-CN. */
export const reviewEn: Widen<typeof reviewZhCN> = {
  review: {
    errors: {
      kindFixed: "The product kind and registration type decide the table of contents and cannot change; start a new application instead.",
      noSuchAdvisor: "Choose an active advisor.",
      cannotComplete: "This item has no document or not-applicable reason, or an unresolved issue; it cannot be marked complete.",
    },
  },
};
