import { Transform, type TransformCallback } from "node:stream";
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { logger } from "#app/.server/logger.ts";
import { RequestInfoContext } from "./request-info.tsx";

export const streamTimeout = 5_000;

/**
 * The HTML stream on its way out:
 * - React 18.3's streaming renderer leaves up to two NUL bytes in its output
 *   where a multi-byte character straddles its 2 KiB buffer (writeStringChunk
 *   writes the whole view after a partial encodeInto). Chinese pages hit it.
 *   UTF-8 never uses 0x00 inside a character and HTML has no use for U+0000,
 *   so the bytes are dropped.
 * - React writes in 2 KiB pieces; each is a socket write of its own. The
 *   pieces of one tick go out together (up to 64 KiB), which halves the
 *   cost of sending a long table.
 */
export class DropNulBytes extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private scheduled = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    const clean = chunk.indexOf(0) === -1 ? chunk : Buffer.from(chunk.filter((byte) => byte !== 0));
    this.pending.push(clean);
    this.pendingBytes += clean.byteLength;
    if (this.pendingBytes >= 64 * 1024) this.release();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.release());
    }
    callback();
  }

  override _flush(callback: TransformCallback) {
    this.release();
    callback();
  }

  private release() {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const out = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.push(out);
  }
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce ?? "";
  const requestId = loadContext.requestId ?? "";
  const readyEvent = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <RequestInfoContext.Provider value={{ nonce, requestId }}>
        <RemixServer context={remixContext} url={request.url} abortDelay={streamTimeout} nonce={nonce} />
      </RequestInfoContext.Provider>,
      {
        nonce,
        [readyEvent]() {
          shellRendered = true;
          const body = new DropNulBytes();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) logger.error({ err: error }, "render error");
        },
      },
    );
    setTimeout(abort, streamTimeout + 1_000);
  });
}

export const handleError: HandleErrorFunction = (error, { request }) => {
  // Aborted requests and the 4xx answers of guards (403, 404, 400) are not server errors: the access log and the audit trail have them.
  if (request.signal.aborted || (isRouteErrorResponse(error) && error.status < 500)) return;
  logger.error({ err: error, method: request.method, url: new URL(request.url).pathname }, "unhandled server error");
};
