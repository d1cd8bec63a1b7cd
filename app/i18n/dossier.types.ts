import type { Widen } from "./widen.ts";
import type { dossierZhCN } from "./dossier.zh-CN.ts";

export type DossierMessages = Widen<typeof dossierZhCN>;
