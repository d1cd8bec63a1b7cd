import type { Widen } from "./widen.ts";
import type { indicatorZhCN } from "./indicator.zh-CN.ts";

/** indicator (en). */
export const indicatorEn: Widen<typeof indicatorZhCN> = {
  indicator: {
    title: "indicator",
  },
};
