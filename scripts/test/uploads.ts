import { createHash, randomUUID } from "node:crypto";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { env } from "#app/.server/env.ts";
import type { Client } from "./harness.ts";

/*
 * Uploads for integration tests: a streamed multipart body generated on the
 * fly (never held in memory), the file store's temporary and stored files,
 * and this process's memory sampled while a request runs (the test server
 * runs in it).
 */

export interface MultipartOptions {
  filename: string;
  /** File bytes in total (the head included). */
  size: number;
  /** The first bytes of the file; a PDF header by default. */
  head?: Uint8Array;
  fields?: Record<string, string>;
  /** Errors the body (a client that goes away) once this many file bytes are sent, aborting `controller`. */
  abortAfter?: number;
  controller?: AbortController;
  /** Sends the file without the closing boundary and keeps the body open until this signal aborts. */
  holdOpenUntil?: AbortSignal;
}

/** A multipart body generated on the fly: the file part last, never held in memory; sent chunked (no Content-Length). */
export function multipartStream(options: MultipartOptions) {
  const boundary = `----greenlane${randomUUID()}`;
  const enc = new TextEncoder();
  const fieldParts = Object.entries(options.fields ?? {})
    .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join("");
  const preamble = enc.encode(`${fieldParts}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${options.filename}"\r\nContent-Type: application/pdf\r\n\r\n`);
  const trailer = enc.encode(`\r\n--${boundary}--\r\n`);
  const head = options.head ?? enc.encode("%PDF-1.7\n");
  const hash = createHash("sha256");
  const CHUNK = 1024 * 1024;
  const filler = new Uint8Array(CHUNK).fill(0x20);
  let sent = 0;
  let stage = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (stage === 0) {
        stage = 1;
        controller.enqueue(preamble);
        const first = head.slice(0, Math.min(head.byteLength, options.size));
        hash.update(first);
        sent = first.byteLength;
        controller.enqueue(first);
        return;
      }
      if (stage === 1) {
        if (options.abortAfter !== undefined && sent >= options.abortAfter) {
          options.controller?.abort();
          controller.error(new Error("client aborted"));
          return;
        }
        if (sent < options.size) {
          const n = Math.min(CHUNK, options.size - sent);
          const chunk = n === CHUNK ? filler : filler.subarray(0, n);
          hash.update(chunk);
          sent += n;
          controller.enqueue(chunk);
          return;
        }
        stage = 2;
        const hold = options.holdOpenUntil;
        if (hold) {
          await new Promise((resolve) => (hold.aborted ? resolve(undefined) : hold.addEventListener("abort", resolve, { once: true })));
          controller.error(new Error("client gave up"));
          return;
        }
        controller.enqueue(trailer);
        controller.close();
      }
    },
  });
  return { body, contentType: `multipart/form-data; boundary=${boundary}`, digest: () => hash.digest("hex") };
}

/** Posts a streamed multipart body; `json` asks for the upload route's JSON answer (the page's XMLHttpRequest), otherwise a plain form post. */
export async function upload(client: Client, target: string, options: MultipartOptions & { json?: boolean }) {
  const { body, contentType, digest } = multipartStream(options);
  const headers: Record<string, string> = { "Content-Type": contentType };
  if (options.json !== false) headers.Accept = "application/json";
  const res = await client.request(target, {
    method: "POST",
    body,
    headers,
    signal: options.controller?.signal,
    // Node's fetch needs duplex for a streamed request body.
    duplex: "half",
  } as RequestInit);
  return { res, digest };
}

/** The file store's temporary files (uploads in progress or left behind). */
export async function tempFiles() {
  try {
    return await readdir(path.join(path.resolve(env().FILE_STORE), "tmp"));
  } catch {
    return [];
  }
}

/** Every file under the file store, as paths relative to it. */
export async function storeFiles(): Promise<string[]> {
  const root = path.resolve(env().FILE_STORE);
  try {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name)));
  } catch {
    return [];
  }
}

/** Samples this process's RSS (the server runs in it) while `fn` runs; returns the peak growth in MiB. */
export async function peakRssGrowth(fn: () => Promise<void>): Promise<number> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return (peak - base) / 1024 / 1024;
}
