import type { Widen } from "./widen.ts";
import type { certificateZhCN } from "./certificate.zh-CN.ts";

/** certificate (en). */
export const certificateEn: Widen<typeof certificateZhCN> = {
  certificate: {
    title: "certificate",
  },
};
