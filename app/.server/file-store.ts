import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { env } from "./env.ts";

/**
 * Content-addressed document storage. Files are stored under their SHA-256,
 * never under a name a user chose, outside any public folder. Local directory
 * now; an S3-compatible implementation can take its place (DESIGN.md).
 */
export interface FileStore {
  /** A path for a new temporary file, on the same filesystem as the store (so `put` is a rename). */
  tempPath(): Promise<string>;
  /** Moves a fully written, fsynced temporary file into the store under its hash. Idempotent. */
  put(tempPath: string, sha256: string): Promise<void>;
  has(sha256: string): Promise<boolean>;
  read(sha256: string): Readable;
  /** Only for content no committed row refers to (a failed upload's file). */
  remove(sha256: string): Promise<void>;
}

const HASH = /^[0-9a-f]{64}$/;

export class LocalFileStore implements FileStore {
  constructor(private readonly root: string) {}

  private objectPath(sha256: string) {
    if (!HASH.test(sha256)) throw new Error("invalid content hash");
    return path.join(this.root, "objects", sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async tempPath() {
    const dir = path.join(this.root, "tmp");
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    return path.join(dir, `${randomUUID()}.part`);
  }

  async put(tempPath: string, sha256: string) {
    const target = this.objectPath(sha256);
    await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    if (await this.has(sha256)) {
      // Same content uploaded before: one copy is enough.
      await fs.rm(tempPath, { force: true });
      return;
    }
    await fs.rename(tempPath, target);
    // The rename itself must survive a crash before the database row commits.
    const dir = await fs.open(path.dirname(target), "r");
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  async has(sha256: string) {
    try {
      await fs.access(this.objectPath(sha256));
      return true;
    } catch {
      return false;
    }
  }

  read(sha256: string): Readable {
    return createReadStream(this.objectPath(sha256));
  }

  async remove(sha256: string) {
    await fs.rm(this.objectPath(sha256), { force: true });
  }
}

let store: FileStore | undefined;
export function fileStore(): FileStore {
  store ??= new LocalFileStore(path.resolve(env().FILE_STORE));
  return store;
}
