import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import { Readable } from "node:stream";
import type { ReadableStream } from "node:stream/web";
import busboy from "busboy";
import type { FileStore } from "./file-store.ts";

/*
 * Streaming upload (OWASP File Upload Cheat Sheet; QUALITY S10–S12, R12):
 * each chunk is hashed, counted and written to a temporary file as it
 * arrives, so memory stays flat whatever the size. The first bytes decide the
 * type (allow-list by magic bytes, never the name). Over the limit the
 * stream is cut with 413; on any failure the temporary file is removed and
 * nothing is written to the database.
 */

/** "malformed": a multipart body a browser would not send (e.g. a NUL byte in a part header). */
export type UploadProblem = "type" | "size" | "empty" | "missing" | "aborted" | "malformed";

export class UploadError extends Error {
  constructor(
    public readonly problem: UploadProblem,
    public readonly status: number,
    /** The text fields that had arrived when the upload was refused (to show the form again). */
    public readonly fields: Record<string, string> = {},
  ) {
    super(`upload refused: ${problem}`);
    this.name = "UploadError";
  }
}

export interface ReceivedFile {
  tempPath: string;
  sha256: string;
  size: number;
  mediaType: string;
  originalName: string;
}

const SNIFF_BYTES = 8;

/** The allow-list: PDF, OFD (a ZIP container), PNG, JPEG, ZIP. */
export function sniffMediaType(head: Uint8Array, filename: string): string | null {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return "application/pdf"; // %PDF-
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06)) {
    // OFD (GB/T 33190) is a ZIP package; the name only labels a ZIP that is already allowed.
    return /\.ofd$/i.test(filename) ? "application/ofd" : "application/zip";
  }
  return null;
}

/** Removes path parts, control and bidi-override characters; keeps Chinese; at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "").trim();
  const chars = [...cleaned];
  if (chars.length <= 200) return cleaned || "document";
  const dot = cleaned.lastIndexOf(".");
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : "";
  return chars.slice(0, 200 - [...ext].length).join("") + ext;
}

async function writePart(
  data: AsyncIterable<Uint8Array>,
  filename: string,
  store: FileStore,
  maxBytes: number,
  signal: AbortSignal,
  allowedTypes: readonly string[] | undefined,
): Promise<ReceivedFile> {
  const allowed = (type: string | null): type is string => type !== null && (!allowedTypes || allowedTypes.includes(type));
  const tempPath = await store.tempPath();
  const handle = await fs.open(tempPath, "wx", 0o600);
  const hash = createHash("sha256");
  let size = 0;
  let head = new Uint8Array(0);
  let mediaType: string | null = null;
  try {
    for await (const chunk of data) {
      if (signal.aborted) throw new UploadError("aborted", 400);
      size += chunk.byteLength;
      if (size > maxBytes) throw new UploadError("size", 413);
      if (mediaType === null) {
        const joined = new Uint8Array(head.byteLength + chunk.byteLength);
        joined.set(head);
        joined.set(chunk, head.byteLength);
        head = joined.slice(0, SNIFF_BYTES);
        if (head.byteLength >= SNIFF_BYTES || head.byteLength >= 3) {
          mediaType = sniffMediaType(head, filename);
          // Refused as soon as the first bytes are known, not after reading the whole file.
          if (mediaType !== null && !allowed(mediaType)) throw new UploadError("type", 415);
          if (mediaType === null && head.byteLength >= SNIFF_BYTES) throw new UploadError("type", 415);
        }
      }
      hash.update(chunk);
      await handle.write(chunk);
    }
    if (signal.aborted) throw new UploadError("aborted", 400);
    if (size === 0) throw new UploadError("empty", 400);
    mediaType ??= sniffMediaType(head, filename);
    if (!allowed(mediaType)) throw new UploadError("type", 415);
    await handle.sync();
    await handle.close();
    return { tempPath, sha256: hash.digest("hex"), size, mediaType, originalName: cleanFileName(filename) };
  } catch (error) {
    await handle.close().catch(() => {});
    await fs.rm(tempPath, { force: true });
    // A client that went away surfaces as a stream error: report it as an abort.
    if (!(error instanceof UploadError) && signal.aborted) throw new UploadError("aborted", 400);
    throw error;
  }
}

/** Text fields are small: a bigger one, or more of them than a browser's form posts, is not a form. */
const FIELD_LIMIT_BYTES = 64 * 1024;
const FIELD_COUNT_LIMIT = 50;

export interface UploadOptions {
  store: FileStore;
  maxBytes: number;
  fileField?: string;
  /** Narrows the allow-list (e.g. evidence: PDF and images only). */
  allowedTypes?: readonly string[];
}

/**
 * Reads a form with at most one file (`fileField`) and small text fields; the
 * file may be missing (`file: null`), and a urlencoded post has none. Returns
 * the file in a temporary location; the caller moves it into the store (or
 * calls `discardUpload`). A refusal (UploadError) carries the text fields
 * that had arrived, so the page can show the form again: put the file input
 * last in the form.
 */
export async function receiveForm(request: Request, options: UploadOptions): Promise<{ file: ReceivedFile | null; fields: Record<string, string> }> {
  const fileField = options.fileField ?? "file";
  const fields: Record<string, string> = {};
  if (!/^multipart\/form-data/i.test(request.headers.get("content-type") ?? "")) {
    for (const [key, value] of (await request.formData()).entries()) if (typeof value === "string") fields[key] = value;
    return { file: null, fields };
  }
  const declared = Number(request.headers.get("content-length"));
  // Refused before reading a byte when the declared length is already too large (multipart overhead allowed).
  if (Number.isFinite(declared) && declared > options.maxBytes + FIELD_LIMIT_BYTES) throw new UploadError("size", 413);
  if (!request.body) return { file: null, fields };
  // busboy parses the part headers as browsers write them (quoted names with ';' or '=', UTF-8 names).
  const parser = busboy({
    headers: { "content-type": request.headers.get("content-type")! },
    defParamCharset: "utf8",
    limits: { fieldSize: FIELD_LIMIT_BYTES, fields: FIELD_COUNT_LIMIT },
  });
  const source = Readable.fromWeb(request.body as ReadableStream<Uint8Array>);
  let received: ReceivedFile | null = null;
  let writing: Promise<void> = Promise.resolve();
  let fileStream: Readable | null = null;
  try {
    await new Promise<void>((resolve, reject) => {
      parser.on("field", (name, value, info) => {
        if (info.valueTruncated) reject(new UploadError("size", 413));
        else fields[name] = value;
      });
      parser.on("fieldsLimit", () => reject(new UploadError("size", 413)));
      parser.on("file", (name, stream, info) => {
        // A form posted without choosing a file sends an empty part with filename="": no file. One file per form: extra parts are drained.
        if (name !== fileField || !info.filename || fileStream) {
          stream.resume();
          return;
        }
        fileStream = stream;
        writing = writePart(stream, info.filename, options.store, options.maxBytes, request.signal, options.allowedTypes).then((file) => {
          received = file;
        });
        writing.catch(reject);
      });
      parser.on("close", () => void writing.then(resolve, reject));
      // The parser's errors: the body is not a form a browser sends.
      parser.on("error", () => reject(new UploadError("malformed", 400)));
      source.on("error", reject);
      source.pipe(parser);
    });
  } catch (error) {
    // Stop parsing, let a file being written fail and clean up, and read the rest of the body away (see drainRequestBody).
    source.unpipe(parser);
    (fileStream as Readable | null)?.destroy(new UploadError("aborted", 400));
    parser.removeAllListeners();
    parser.on("error", () => {});
    drainSource(source);
    await writing.catch(() => {});
    const file = received as ReceivedFile | null;
    if (file) await fs.rm(file.tempPath, { force: true });
    if (error instanceof UploadError) throw new UploadError(error.problem, error.status, fields);
    if (request.signal.aborted) throw new UploadError("aborted", 400, fields);
    throw error;
  }
  return { file: received, fields };
}

/** As receiveForm, with the file required ("missing" otherwise). */
export async function receiveUpload(request: Request, options: UploadOptions): Promise<{ file: ReceivedFile; fields: Record<string, string> }> {
  const { file, fields } = await receiveForm(request, options);
  if (!file) throw new UploadError("missing", 400, fields);
  return { file, fields };
}

/**
 * After a refusal the browser may still be sending the file. A browser does
 * not read the answer until its upload is done, so the rest of the body is
 * read and thrown away (memory stays flat), for at most a minute; then the
 * connection is cut. Without this a no-JS form post of a too-large file hangs.
 */
function drainSource(source: Readable) {
  const cutoff = setTimeout(() => source.destroy(), 60_000);
  source.on("error", () => {});
  source.on("close", () => clearTimeout(cutoff));
  source.resume();
}

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
      // the client went away: nothing left to drain
    } finally {
      clearTimeout(cutoff);
    }
  })();
}

export async function discardUpload(file: ReceivedFile) {
  await fs.rm(file.tempPath, { force: true });
}
