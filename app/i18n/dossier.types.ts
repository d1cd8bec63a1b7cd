import type { dossierZhCN } from "./dossier.zh-CN.ts";

type Widen<T> = { -readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type DossierMessages = Widen<typeof dossierZhCN>;
