import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { prisma } from "#app/.server/db.ts";
import { createDossier } from "#app/modules/dossier/create-dossier.server.ts";
import { DOSSIER_FIELDS, sessionUser } from "#scripts/test/dossier-fixtures.ts";
import { createUser, signedInClient } from "#scripts/test/harness.ts";
import { percentile, type BenchEnv, type Figure } from "./reminders.ts";
import { startWebProcess, type WebProcess } from "./web-process.ts";

/*
 * Upload throughput and memory (QUALITY P3). A PDF of each size is written to
 * a work directory under .data/bench (the same filesystem as the web
 * process's file store there). Each repetition, in alternating order:
 *
 *   copy:   the file copied with a Node stream pipeline and fsynced: the
 *           baseline, measured in the same run on the same disk;
 *   portal: the file POSTed as multipart/form-data, streamed from disk (never
 *           held in memory), to /dossiers/:id/items/:itemId/upload as the
 *           signed-in applicant of a draft dossier, on the built app in a web
 *           process of its own: session and scope guards, multipart parse,
 *           type check by magic bytes, SHA-256, write, fsync, rename into the
 *           store, the version row. Timed until the answer has arrived.
 *
 * Memory: the web process's peak resident memory during the upload minus its
 * resident memory just before. The peak is the kernel's own high-water mark
 * (VmHWM), reset before each upload through /proc/<pid>/clear_refs, so a
 * short spike between two samples cannot be missed; where that file cannot be
 * written, VmRSS is sampled every 20 ms instead.
 *
 * Every upload is checked: 200, and a document version whose SHA-256 and size
 * are the file's, stored under that hash. The same file is uploaded in every
 * repetition: after the first, the store already holds the content and the
 * temporary file is removed instead of renamed (the write, hash and fsync are
 * the same).
 */

export interface UploadBenchOptions {
  /** File sizes (MiB); the throughput figure is the largest's, the memory figure is given for each. */
  sizesMiB: readonly number[];
  repetitions: number;
}

const MiB = 1024 * 1024;
/** P3's stated size: a figure for another size says so. */
const TARGET_SIZE_MIB = 512;

/** A PDF-looking file of exactly `size` bytes (header, random body, %%EOF); returns its SHA-256. */
async function writePdf(file: string, size: number): Promise<string> {
  const head = Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "latin1");
  const tail = Buffer.from("\n%%EOF\n");
  const block = randomBytes(MiB);
  const hash = createHash("sha256");
  const out = await fs.open(file, "w");
  try {
    const write = async (chunk: Buffer) => {
      hash.update(chunk);
      await out.write(chunk);
    };
    await write(head);
    for (let left = size - head.length - tail.length; left > 0; left -= block.length) await write(block.subarray(0, Math.min(left, block.length)));
    await write(tail);
    await out.sync();
  } finally {
    await out.close();
  }
  return hash.digest("hex");
}

/** The baseline: a stream copy, then fsync of the copy. Milliseconds. */
async function copyWithFsync(source: string, target: string): Promise<number> {
  const started = performance.now();
  await pipeline(createReadStream(source), createWriteStream(target));
  const handle = await fs.open(target, "r+");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  const ms = performance.now() - started;
  await fs.rm(target);
  return ms;
}

/** A multipart POST of the file, streamed from disk, as the page's upload (Accept: application/json). */
async function postFile(url: string, cookie: string, file: string, size: number): Promise<{ status: number; body: string; ms: number }> {
  const boundary = `----greenlane-bench-${randomUUID()}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const target = new URL(url);
  const started = performance.now();
  const request = http.request(target, {
    method: "POST",
    headers: {
      Cookie: cookie,
      Origin: target.origin,
      Accept: "application/json",
      "Content-Type": `multipart/form-data; boundary=${boundary}`,
      "Content-Length": head.length + size + tail.length,
    },
  });
  const answered = new Promise<http.IncomingMessage>((resolve, reject) => request.once("response", resolve).once("error", reject));
  async function* body() {
    yield head;
    yield* createReadStream(file);
    yield tail;
  }
  const [, response] = await Promise.all([pipeline(body, request), answered]);
  let text = "";
  for await (const chunk of response) text += String(chunk);
  return { status: response.statusCode ?? 0, body: text, ms: performance.now() - started };
}

/** Runs `fn` and returns the web process's peak resident memory growth meanwhile (bytes), or null without /proc. */
async function peakGrowth<T>(web: WebProcess, fn: () => Promise<T>): Promise<{ result: T; growth: number | null }> {
  const highWaterMark = web.resetPeakRss();
  const before = web.rssBytes();
  if (before === null) return { result: await fn(), growth: null };
  let peak = before;
  const sampler = highWaterMark ? undefined : setInterval(() => (peak = Math.max(peak, web.rssBytes() ?? 0)), 20);
  try {
    const result = await fn();
    if (highWaterMark) peak = web.peakRssBytes() ?? peak;
    else peak = Math.max(peak, web.rssBytes() ?? 0);
    return { result, growth: peak - before };
  } finally {
    clearInterval(sampler);
  }
}

interface SizeResult {
  sizeMiB: number;
  portalMiBs: number[];
  copyMiBs: number[];
  growthMiB: number[];
}

export async function benchUpload(env: BenchEnv, opts: UploadBenchOptions): Promise<{ figures: Figure[]; details: Record<string, string | number> }> {
  const workDir = path.join(env.root, ".data", "bench", `upload-${randomUUID().slice(0, 8)}`);
  await fs.mkdir(workDir, { recursive: true });
  let web: WebProcess | undefined;
  try {
    const applicant = await createUser("APPLICANT");
    const dossier = await createDossier(sessionUser(applicant), DOSSIER_FIELDS);
    const item = await prisma.dossierItem.findFirstOrThrow({ where: { dossierId: dossier.id, requirement: "R" }, orderBy: { position: "asc" } });
    const store = path.join(workDir, "store");
    web = await startWebProcess(env, { FILE_STORE: store });
    const uploadUrl = `${web.url}/dossiers/${dossier.id}/items/${item.id}/upload`;
    const cookie = (await signedInClient(web.url, applicant.id)).cookieHeader();
    const memoryMethod = web.resetPeakRss() ? "VmHWM reset before each upload" : web.rssBytes() === null ? "not measured (no /proc)" : "VmRSS sampled every 20 ms";

    const upload = async (file: string, size: number, sha256: string) => {
      const { result, growth } = await peakGrowth(web!, () => postFile(uploadUrl, cookie, file, size));
      if (result.status !== 200) throw new Error(`upload of ${size} bytes answered ${result.status}: ${result.body.slice(0, 300)}`);
      const { versionId } = JSON.parse(result.body) as { versionId: string };
      const version = await prisma.documentVersion.findUniqueOrThrow({ where: { id: versionId } });
      if (version.sha256 !== sha256 || version.size !== BigInt(size) || version.mediaType !== "application/pdf") {
        throw new Error(`version ${versionId}: sha256 ${version.sha256}, ${version.size} bytes, ${version.mediaType}; expected ${sha256}, ${size} bytes, application/pdf`);
      }
      const stored = await fs.stat(path.join(store, "objects", sha256.slice(0, 2), sha256.slice(2, 4), sha256));
      if (stored.size !== size) throw new Error(`stored object ${sha256} has ${stored.size} bytes, expected ${size}`);
      return { ms: result.ms, growth };
    };

    // Warm-up (JIT, pools, the store's directories): not measured.
    const warmFile = path.join(workDir, "warm-up.pdf");
    const warmSha = await writePdf(warmFile, MiB);
    for (let i = 0; i < 3; i++) {
      await upload(warmFile, MiB, warmSha);
      await copyWithFsync(warmFile, path.join(workDir, "copy.pdf"));
    }

    const results: SizeResult[] = [];
    let verified = 0;
    for (const sizeMiB of opts.sizesMiB) {
      const size = sizeMiB * MiB;
      const file = path.join(workDir, `bench-${sizeMiB}.pdf`);
      const sha256 = await writePdf(file, size);
      env.log(`P3: ${sizeMiB} MiB, ${opts.repetitions} repetitions (copy with fsync, portal upload)`);
      const r: SizeResult = { sizeMiB, portalMiBs: [], copyMiBs: [], growthMiB: [] };
      for (let rep = 0; rep < opts.repetitions; rep++) {
        const copy = () => copyWithFsync(file, path.join(workDir, "copy.pdf"));
        let copyMs: number;
        let portal: { ms: number; growth: number | null };
        // Alternating order, so neither side always follows the other's writeback.
        if (rep % 2 === 0) {
          copyMs = await copy();
          portal = await upload(file, size, sha256);
        } else {
          portal = await upload(file, size, sha256);
          copyMs = await copy();
        }
        verified++;
        r.copyMiBs.push(sizeMiB / (copyMs / 1000));
        r.portalMiBs.push(sizeMiB / (portal.ms / 1000));
        if (portal.growth !== null) r.growthMiB.push(portal.growth / MiB);
      }
      results.push(r);
      await fs.rm(file);
    }

    const figures: Figure[] = [];
    const details: Record<string, string | number> = {};
    const median = (values: number[]) => percentile(values, 50);
    const biggest = results.reduce((a, b) => (b.sizeMiB > a.sizeMiB ? b : a));
    const ratio = median(biggest.portalMiBs) / median(biggest.copyMiBs);
    const stated = biggest.sizeMiB === TARGET_SIZE_MIB ? "" : `; the target is stated for ${TARGET_SIZE_MIB} MiB`;
    figures.push({
      id: "P3",
      what: `upload throughput ÷ file copy with fsync (${biggest.sizeMiB} MiB PDF${stated}; median of ${opts.repetitions})`,
      measured: `${ratio.toFixed(2)} (${median(biggest.portalMiBs).toFixed(0)} / ${median(biggest.copyMiBs).toFixed(0)} MiB/s)`,
      target: "≥ 0.5",
      met: ratio >= 0.5,
    });
    for (const r of results) {
      const growth = r.growthMiB.length > 0 ? median(r.growthMiB) : null;
      figures.push({
        id: "P3",
        what: `web process peak memory growth during one upload, ${r.sizeMiB} MiB (median of ${opts.repetitions})`,
        measured: growth === null ? "not measured" : `${growth.toFixed(1)} MiB (max ${Math.max(...r.growthMiB).toFixed(1)})`,
        target: "≤ 64 MiB",
        met: growth === null ? null : growth <= 64,
      });
      const list = (values: number[]) => values.map((v) => v.toFixed(0)).join(", ");
      details[`P3 ${r.sizeMiB} MiB`] =
        `portal ${median(r.portalMiBs).toFixed(0)} MiB/s [${list(r.portalMiBs)}], copy ${median(r.copyMiBs).toFixed(0)} MiB/s [${list(r.copyMiBs)}], ` +
        `ratio ${(median(r.portalMiBs) / median(r.copyMiBs)).toFixed(2)}; memory growth MiB [${r.growthMiB.map((v) => v.toFixed(1)).join(", ")}]`;
    }
    details["P3 checks"] = `${verified} uploads answered 200 with a version row and a stored object of the file's SHA-256 and size; memory: ${memoryMethod}`;
    return { figures, details };
  } finally {
    await web?.stop();
    await fs.rm(workDir, { recursive: true, force: true });
  }
}
