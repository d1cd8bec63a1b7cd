import type { Widen } from "./widen.ts";
import type { queueZhCN } from "./queue.zh-CN.ts";

/** queue (en). */
export const queueEn: Widen<typeof queueZhCN> = {
  queue: {
    title: "queue",
  },
};
