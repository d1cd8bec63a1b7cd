import { spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import nodemailer from "nodemailer";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startDevMailbox, type DevMailboxMessage } from "./mailbox.ts";
import { findFreePort, startEmbeddedPostgres } from "./postgres.ts";
import { resolveRedis } from "./redis.ts";

const logs: string[] = [];
const log = (msg: string) => {
  logs.push(msg);
};

const tempDirs: string[] = [];
async function tempDir(prefix: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `greenlane-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A PID that certainly belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

async function pingRedis(url: string): Promise<string> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return await client.ping();
  } finally {
    client.disconnect();
  }
}

describe("embedded postgres", () => {
  it("initialises, serves queries, and keeps data across a restart", async () => {
    const dataDir = await tempDir("pg");
    const port = await findFreePort();
    const options = { dataDir, port, database: "greenlane_test", log };

    const first = await startEmbeddedPostgres(options);
    try {
      expect(first.url).toMatch(new RegExp(`^postgresql://postgres:[^@]+@127\\.0\\.0\\.1:${port}/greenlane_test$`));
      expect(await query(first.url, "select 1 as one")).toEqual([{ one: 1 }]);
      await query(first.url, "create table kept (note text); insert into kept values ('绿通')");
    } finally {
      await first.stop();
    }
    await first.stop(); // idempotent

    const passwordFile = await fs.stat(path.join(dataDir, ".password"));
    expect(passwordFile.mode & 0o777).toBe(0o600);

    // Simulate a crashed run: its postmaster.pid names a process that no longer exists.
    await fs.writeFile(path.join(dataDir, "pgdata", "postmaster.pid"), `${deadPid()}\n${dataDir}/pgdata\n`);

    const second = await startEmbeddedPostgres(options);
    try {
      expect(second.url).toBe(first.url); // same stored password
      expect(await query(second.url, "select note from kept")).toEqual([{ note: "绿通" }]);
    } finally {
      await second.stop();
    }
  }, 60_000);

  it("fails clearly when the port is taken by something else", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(
        startEmbeddedPostgres({ dataDir: await tempDir("pg-busy"), port, database: "x", log }),
      ).rejects.toThrow(`Port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe("dev mailbox", () => {
  it("receives and parses a message sent with nodemailer", async () => {
    const received: DevMailboxMessage[] = [];
    const mailbox = await startDevMailbox({ onMessage: async (msg) => void received.push(msg), log });
    try {
      expect(mailbox.url).toBe(`smtp://127.0.0.1:${mailbox.port}`);
      const transport = nodemailer.createTransport({ host: "127.0.0.1", port: mailbox.port, secure: false, ignoreTLS: true });
      const info = await transport.sendMail({
        from: "绿通 Greenlane <no-reply@greenlane.test>",
        to: "applicant@example.test",
        bcc: "auditor@example.test",
        subject: "您的注册申请已受理",
        text: "申请编号 GL-2024-0001",
        html: "<p>申请编号 <b>GL-2024-0001</b></p>",
      });
      transport.close();

      expect(received).toHaveLength(1);
      const [msg] = received;
      expect(msg).toMatchObject({
        messageId: info.messageId,
        // mailparser re-quotes the display name when it renders the header.
        from: '"绿通 Greenlane" <no-reply@greenlane.test>',
        to: ["applicant@example.test", "auditor@example.test"],
        subject: "您的注册申请已受理",
      });
      expect(msg?.text?.trim()).toBe("申请编号 GL-2024-0001");
      expect(msg?.html).toContain("<b>GL-2024-0001</b>");
    } finally {
      await mailbox.stop();
    }
    await mailbox.stop(); // idempotent
  });

  it("answers with a temporary error when storing fails, so the sender retries", async () => {
    const mailbox = await startDevMailbox({
      onMessage: async () => {
        throw new Error("database unavailable");
      },
      log,
    });
    try {
      const transport = nodemailer.createTransport({ host: "127.0.0.1", port: mailbox.port, secure: false, ignoreTLS: true });
      await expect(
        transport.sendMail({ from: "a@example.test", to: "b@example.test", subject: "x", text: "x" }),
      ).rejects.toMatchObject({ responseCode: 451 });
      transport.close();
    } finally {
      await mailbox.stop();
    }
  });
});

describe("redis", () => {
  it("resolves a Redis that answers PING", async () => {
    const redis = await resolveRedis({ dataDir: await tempDir("redis"), log });
    try {
      expect(redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
      expect(await pingRedis(redis.url)).toBe("PONG");
    } finally {
      await redis.stop();
    }
  });

  const hasRedisServer = spawnSync("redis-server", ["--version"]).status === 0;
  it.skipIf(!hasRedisServer)("runs a private redis-server that keeps its port and data across restarts", async () => {
    const dataDir = await tempDir("redis-own");
    const first = await resolveRedis({ dataDir, log, tryDefault: false });
    try {
      expect(first.started).toBe(true);
      const client = new Redis(first.url);
      await client.set("greenlane:kept", "绿通");
      await client.quit();
    } finally {
      await first.stop();
    }
    await first.stop(); // idempotent
    expect(await pingRedis(first.url).catch(() => "down")).toBe("down");

    const second = await resolveRedis({ dataDir, log, tryDefault: false });
    try {
      expect(second.url).toBe(first.url);
      const client = new Redis(second.url);
      expect(await client.get("greenlane:kept")).toBe("绿通");
      expect(await client.config("GET", "maxmemory-policy")).toEqual(["maxmemory-policy", "noeviction"]);
      await client.quit();
    } finally {
      await second.stop();
    }
  }, 30_000);
});
