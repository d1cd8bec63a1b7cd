import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { prisma } from "#app/.server/db.ts";
import { env } from "#app/.server/env.ts";
import { FieldError } from "#app/.server/errors.ts";
import { fileStore, type FileStore } from "#app/.server/file-store.ts";
import { cleanFileName, discardUpload, sniffMediaType, UploadError, type ReceivedFile, type UploadProblem } from "#app/.server/upload.ts";
import { EVIDENCE_FIELD } from "./indicator.schema.ts";

export { EVIDENCE_FIELD };

/*
 * Evidence files of recorded certificates and indicator values. The page
 * forms post the evidence together with the typed fields, so unlike
 * receiveUpload (one required file, fields lost on refusal) the file may be
 * optional and a refusal carries the fields back to the form. The stream
 * handling is the same: hashed and written chunk by chunk, the type decided
 * by magic bytes, cut at the limit, the temporary file removed on failure.
 */

/** A scan or an electronic certificate: PDF or an image. */
export const EVIDENCE_MEDIA_TYPES: readonly string[] = ["application/pdf", "image/png", "image/jpeg"];
/** Policy: a certificate scan or a statistics sheet is far below a dossier's documents. */
const EVIDENCE_LIMIT_BYTES = 50 * 1024 * 1024;
export const evidenceMaxBytes = () => Math.min(env().UPLOAD_MAX_BYTES, EVIDENCE_LIMIT_BYTES);
const FIELD_LIMIT_BYTES = 64 * 1024;
/** The forms have about ten fields; more is not a browser's post. */
const FIELD_COUNT_LIMIT = 50;
const SNIFF_BYTES = 8;

/** The evidence upload was refused; `fields` are the typed values to show again. */
export class EvidenceFormError extends Error {
  constructor(
    public readonly problem: UploadProblem,
    public readonly status: number,
    public readonly fields: Record<string, string>,
  ) {
    super(`evidence refused: ${problem}`);
    this.name = "EvidenceFormError";
  }
}

async function writeEvidence(data: AsyncIterable<Uint8Array>, filename: string, store: FileStore, maxBytes: number, signal: AbortSignal): Promise<ReceivedFile> {
  const tempPath = await store.tempPath();
  const handle = await fs.open(tempPath, "wx", 0o600);
  const hash = createHash("sha256");
  let size = 0;
  let head = Buffer.alloc(0);
  let mediaType: string | null = null;
  const allowed = (type: string | null) => type !== null && EVIDENCE_MEDIA_TYPES.includes(type);
  try {
    for await (const chunk of data) {
      if (signal.aborted) throw new UploadError("aborted", 400);
      size += chunk.byteLength;
      if (size > maxBytes) throw new UploadError("size", 413);
      if (mediaType === null && head.byteLength < SNIFF_BYTES) {
        head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.byteLength)]);
        // Refused as soon as the first bytes are known, not after reading the whole file.
        if (head.byteLength >= SNIFF_BYTES) {
          mediaType = sniffMediaType(head, filename);
          if (!allowed(mediaType)) throw new UploadError("type", 415);
        }
      }
      hash.update(chunk);
      await handle.write(chunk);
    }
    if (signal.aborted) throw new UploadError("aborted", 400);
    if (size === 0) throw new UploadError("empty", 400);
    mediaType ??= sniffMediaType(head, filename);
    if (!mediaType || !allowed(mediaType)) throw new UploadError("type", 415);
    await handle.sync();
    await handle.close();
    return { tempPath, sha256: hash.digest("hex"), size, mediaType, originalName: cleanFileName(filename) };
  } catch (error) {
    await handle.close().catch(() => {});
    await fs.rm(tempPath, { force: true });
    if (!(error instanceof UploadError) && signal.aborted) throw new UploadError("aborted", 400);
    throw error;
  }
}

async function drain(data: AsyncIterable<Uint8Array>) {
  for await (const _ of data) void _;
}

/**
 * Reads a page form with an optional evidence file (field "evidence"). The
 * file input must come last in the form, so the text fields have arrived
 * when a file is refused. A form posted without a file chooser's content
 * (or urlencoded) gives `file: null`; with `required` that is a refusal.
 */
export async function receiveEvidenceForm(request: Request, options: { required: boolean }): Promise<{ file: ReceivedFile | null; fields: Record<string, string> }> {
  const fields: Record<string, string> = {};
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data/i.test(contentType)) {
    const formData = await request.formData();
    for (const [key, value] of formData.entries()) if (typeof value === "string") fields[key] = value;
    if (options.required) throw new EvidenceFormError("missing", 400, fields);
    return { file: null, fields };
  }
  const maxBytes = evidenceMaxBytes();
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes + FIELD_LIMIT_BYTES) throw new EvidenceFormError("size", 413, fields);
  const store = fileStore();
  let received: ReceivedFile | null = null;
  const handler: UploadHandler = async ({ name, filename, data }) => {
    if (filename !== undefined) {
      // An empty file chooser posts a part with filename="": no evidence. Extra files are ignored.
      if (name !== EVIDENCE_FIELD || !filename || received) {
        await drain(data);
        return undefined;
      }
      received = await writeEvidence(data, filename, store, maxBytes, request.signal);
      return undefined;
    }
    if (Object.keys(fields).length >= FIELD_COUNT_LIMIT) throw new UploadError("size", 413);
    const chunks: Uint8Array[] = [];
    let length = 0;
    for await (const chunk of data) {
      length += chunk.byteLength;
      if (length > FIELD_LIMIT_BYTES) throw new UploadError("size", 413);
      chunks.push(chunk);
    }
    fields[name] = Buffer.concat(chunks).toString("utf8");
    return undefined;
  };
  try {
    await unstable_parseMultipartFormData(request, handler);
  } catch (error) {
    const file = received as ReceivedFile | null;
    if (file) await discardUpload(file);
    if (error instanceof UploadError) throw new EvidenceFormError(error.problem, error.status, fields);
    if (request.signal.aborted) throw new EvidenceFormError("aborted", 400, fields);
    throw error;
  }
  if (!received && options.required) throw new EvidenceFormError("missing", 400, fields);
  return { file: received, fields };
}

/**
 * After a refusal mid-stream the browser is still sending: read the rest and
 * throw it away (at most a minute), so the answer reaches a no-JS form post.
 */
export function drainRequestBody(request: Request) {
  const body = request.body;
  if (!body || body.locked) return;
  const reader = body.getReader();
  const cutoff = setTimeout(() => void reader.cancel().catch(() => {}), 60_000);
  void (async () => {
    try {
      while (!(await reader.read()).done) {
        // discard
      }
    } catch {
      // the client went away
    } finally {
      clearTimeout(cutoff);
    }
  })();
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

/** RFC 6266 / 5987: an ASCII fallback and the UTF-8 name, so Chinese names round-trip (QUALITY S12). */
export function attachmentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
