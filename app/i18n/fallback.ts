import { coreZhCN } from "./core.zh-CN.ts";

/** Enough for the frame and the error page when no catalogue came from the server. */
export const FALLBACK_MESSAGES = coreZhCN;
