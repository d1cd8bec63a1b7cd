import { prisma } from "#app/.server/db.ts";
import { env } from "#app/.server/env.ts";
import { FieldError } from "#app/.server/errors.ts";
import { fileStore } from "#app/.server/file-store.ts";
import { discardUpload, drainRequestBody, receiveForm, UploadError, type ReceivedFile } from "#app/.server/upload.ts";
import { EVIDENCE_FIELD } from "./indicator.schema.ts";

export { EVIDENCE_FIELD, drainRequestBody };

/*
 * Evidence files of recorded certificates and indicator values, read with the
 * portal's streaming upload (hashed chunk by chunk, typed by magic bytes, cut
 * at the limit, the temporary file removed on failure): the form's fields
 * come with it, and a refusal carries them back to the form.
 */

/** A scan or an electronic certificate: PDF or an image. */
export const EVIDENCE_MEDIA_TYPES: readonly string[] = ["application/pdf", "image/png", "image/jpeg"];
/** Policy: a certificate scan or a statistics sheet is far below a dossier's documents. */
const EVIDENCE_LIMIT_BYTES = 50 * 1024 * 1024;
export const evidenceMaxBytes = () => Math.min(env().UPLOAD_MAX_BYTES, EVIDENCE_LIMIT_BYTES);

/** The evidence upload was refused (an UploadError); `fields` are the typed values to show again. */
export const EvidenceFormError = UploadError;

/** Reads a page form with an evidence file (field "evidence", last in the form); without `required` it may be absent. */
export async function receiveEvidenceForm(request: Request, options: { required: boolean }): Promise<{ file: ReceivedFile | null; fields: Record<string, string> }> {
  const received = await receiveForm(request, { store: fileStore(), maxBytes: evidenceMaxBytes(), fileField: EVIDENCE_FIELD, allowedTypes: EVIDENCE_MEDIA_TYPES });
  if (!received.file && options.required) throw new UploadError("missing", 400, received.fields);
  return received;
}

export interface EvidenceColumns {
  evidenceSha256: string;
  evidenceName: string;
  evidenceMediaType: string;
  evidenceSize: bigint;
}

/** Content no committed row refers to any more is removed (the store is shared by documents and evidence). */
async function removeIfUnreferenced(sha256: string) {
  const [documents, certificates, values] = await Promise.all([
    prisma.documentVersion.count({ where: { sha256 } }),
    prisma.certificate.count({ where: { evidenceSha256: sha256 } }),
    prisma.indicatorValue.count({ where: { evidenceSha256: sha256 } }),
  ]);
  if (documents + certificates + values === 0) await fileStore().remove(sha256);
}

/**
 * Puts the evidence into the store, then runs `write` (the transaction that
 * writes the row referring to it): a committed row always has its file. If
 * anything fails, the temporary file is removed, and the stored copy too
 * unless it was there before (another row's identical file).
 */
export async function withEvidence<T>(file: ReceivedFile | null, write: (evidence: EvidenceColumns | null) => Promise<T>): Promise<T> {
  if (!file) return write(null);
  const store = fileStore();
  let stored = false;
  try {
    if (!EVIDENCE_MEDIA_TYPES.includes(file.mediaType)) throw new FieldError(EVIDENCE_FIELD, "indicator.errors.evidenceType");
    const existedBefore = await store.has(file.sha256);
    await store.put(file.tempPath, file.sha256);
    stored = !existedBefore;
    return await write({ evidenceSha256: file.sha256, evidenceName: file.originalName, evidenceMediaType: file.mediaType, evidenceSize: BigInt(file.size) });
  } catch (error) {
    await discardUpload(file);
    if (stored) await removeIfUnreferenced(file.sha256);
    throw error;
  }
}

export const EVIDENCE_KINDS = ["certificate", "value"] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export interface StoredEvidence {
  sha256: string;
  name: string;
  mediaType: string;
  size: bigint;
}

/** The evidence of a recorded certificate or an indicator value, or null when there is none. */
export async function findEvidence(kind: EvidenceKind, id: string): Promise<StoredEvidence | null> {
  const row =
    kind === "certificate"
      ? await prisma.certificate.findUnique({ where: { id }, select: { evidenceSha256: true, evidenceName: true, evidenceMediaType: true, evidenceSize: true } })
      : await prisma.indicatorValue.findUnique({ where: { id }, select: { evidenceSha256: true, evidenceName: true, evidenceMediaType: true, evidenceSize: true } });
  if (!row?.evidenceSha256 || !row.evidenceMediaType || row.evidenceSize === null) return null;
  return { sha256: row.evidenceSha256, name: row.evidenceName ?? "evidence", mediaType: row.evidenceMediaType, size: row.evidenceSize };
}

