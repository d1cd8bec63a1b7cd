import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Server } from "node:http";
import type { ServerBuild } from "@remix-run/node";
import { prisma, type Role } from "#app/.server/db.ts";
import { env } from "#app/.server/env.ts";
import { createApp } from "#app/.server/http/create-app.ts";
import { randomToken, sessionCookie, sha256 } from "#app/.server/session.ts";
import { hashPassword } from "#app/modules/auth/password.server.ts";
import { normalizeUscc, usccCheckCharacter, USCC_ALPHABET } from "#app/modules/auth/uscc.ts";

const root = path.resolve(import.meta.dirname, "../..");

/** The real Express host and Remix build, listening on a free port. Needs `npm run build` first. */
export async function startTestServer(): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const buildDir = path.resolve(root, process.env.REMIX_BUILD_DIR ?? "build");
  const build = (await import(path.join(buildDir, "server/index.js"))) as ServerBuild;
  const app = createApp({ build, config: env(), clientDir: path.join(buildDir, "client") });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A browser-like client with a cookie jar (one cookie per name) that does not follow redirects. */
export class Client {
  cookies = new Map<string, string>();
  constructor(public baseUrl: string) {}

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async request(pathname: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set("Cookie", this.cookieHeader());
    const response = await fetch(new URL(pathname, this.baseUrl), { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  get(pathname: string, headers?: HeadersInit) {
    return this.request(pathname, { headers });
  }

  post(pathname: string, form: Record<string, string>, headers?: HeadersInit) {
    return this.request(pathname, { method: "POST", body: new URLSearchParams(form), headers });
  }
}

export const uniqueEmail = (tag = "user") => `${tag}-${randomUUID().slice(0, 8)}@test.greenlane.local`;

/** A valid, random 统一社会信用代码. */
export function randomUscc(): string {
  let body = "91120110";
  while (body.length < 17) body += USCC_ALPHABET[Math.floor(Math.random() * USCC_ALPHABET.length)];
  return normalizeUscc(body + usccCheckCharacter(body)!);
}

export const TEST_PASSWORD = "Tianjin#Device2026";
let passwordHash: Promise<string> | undefined;

/** Inserts a verified user (and, for applicants, a new company). */
export async function createUser(role: Role, overrides: { email?: string; companyId?: string; isCompanyAdmin?: boolean } = {}) {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  let companyId = overrides.companyId ?? null;
  if (role === "APPLICANT" && !companyId) {
    const company = await prisma.company.create({ data: { name: `测试企业 ${randomUUID().slice(0, 6)}`, uscc: randomUscc() } });
    companyId = company.id;
  }
  return prisma.user.create({
    data: {
      email: overrides.email ?? uniqueEmail(role.toLowerCase()),
      name: `测试${role}`,
      role,
      companyId,
      isCompanyAdmin: overrides.isCompanyAdmin ?? role === "APPLICANT",
      passwordHash: await passwordHash,
      emailVerifiedAt: new Date(),
    },
    include: { company: true },
  });
}

/** A signed-in client for the user, through a session row made directly (the sign-in flow has its own tests). */
export async function signedInClient(baseUrl: string, userId: string): Promise<Client> {
  const token = randomToken();
  await prisma.session.create({ data: { id: sha256(token), userId, expiresAt: new Date(Date.now() + 3_600_000) } });
  const client = new Client(baseUrl);
  const cookie = await sessionCookie.serialize(token);
  const [pair] = cookie.split(";");
  const eq = pair!.indexOf("=");
  client.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
  return client;
}
