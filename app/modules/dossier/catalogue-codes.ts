/** The 22 subcategories of the 2017 medical device classification catalogue, and 40 for IVD reagents (DOMAIN.md). */
export const CATALOGUE_CODES = {
  "01": { zh: "有源手术器械", en: "Active surgical devices" },
  "02": { zh: "无源手术器械", en: "Passive surgical devices" },
  "03": { zh: "神经和心血管手术器械", en: "Neurological and cardiovascular surgical devices" },
  "04": { zh: "骨科手术器械", en: "Orthopaedic surgical devices" },
  "05": { zh: "放射治疗器械", en: "Radiotherapy devices" },
  "06": { zh: "医用成像器械", en: "Medical imaging devices" },
  "07": { zh: "医用诊察和监护器械", en: "Diagnostic examination and monitoring devices" },
  "08": { zh: "呼吸、麻醉和急救器械", en: "Respiratory, anaesthesia and emergency devices" },
  "09": { zh: "物理治疗器械", en: "Physical therapy devices" },
  "10": { zh: "输血、透析和体外循环器械", en: "Transfusion, dialysis and extracorporeal circulation devices" },
  "11": { zh: "医疗器械消毒灭菌器械", en: "Disinfection and sterilisation devices" },
  "12": { zh: "有源植入器械", en: "Active implantable devices" },
  "13": { zh: "无源植入器械", en: "Passive implantable devices" },
  "14": { zh: "注输、护理和防护器械", en: "Infusion, nursing and protective devices" },
  "15": { zh: "患者承载器械", en: "Patient support devices" },
  "16": { zh: "眼科器械", en: "Ophthalmic devices" },
  "17": { zh: "口腔科器械", en: "Dental devices" },
  "18": { zh: "妇产科、辅助生殖和避孕器械", en: "Obstetric, gynaecological, assisted reproduction and contraceptive devices" },
  "19": { zh: "医用康复器械", en: "Medical rehabilitation devices" },
  "20": { zh: "中医器械", en: "Traditional Chinese medicine devices" },
  "21": { zh: "医用软件", en: "Medical software" },
  "22": { zh: "临床检验器械", en: "Clinical laboratory devices" },
  "40": { zh: "体外诊断试剂", en: "In-vitro diagnostic reagents" },
} as const;

export type CatalogueCode = keyof typeof CATALOGUE_CODES;
// Sorted: JavaScript lists integer-like keys ("10") before others ("01").
export const CATALOGUE_CODE_LIST = (Object.keys(CATALOGUE_CODES) as CatalogueCode[]).sort();
export const isCatalogueCode = (v: unknown): v is CatalogueCode => typeof v === "string" && v in CATALOGUE_CODES;

/** Grounds an applicant may cite for the green channel (free text is always possible too). */
export const GREEN_GROUNDS = ["clusterCompany", "innovative", "clinicalNeed", "localManufacture", "priorityCatalogue"] as const;
export type GreenGround = (typeof GREEN_GROUNDS)[number];
