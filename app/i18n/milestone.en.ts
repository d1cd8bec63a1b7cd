import type { Widen } from "./widen.ts";
import type { milestoneZhCN } from "./milestone.zh-CN.ts";

/** milestone (en). */
export const milestoneEn: Widen<typeof milestoneZhCN> = {
  milestone: {
    title: "milestone",
  },
};
