import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "#app/.server/db.ts";
import { sha256 } from "#app/.server/session.ts";
import { Client, createUser, randomUscc, signedInClient, startTestServer, TEST_PASSWORD, uniqueEmail } from "#scripts/test/harness.ts";
import { issueToken } from "./tokens.server.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const anonymous = () => new Client(server.baseUrl);

async function signInForm(client: Client, email: string, password: string) {
  return client.post("/login", { email, password });
}

describe("company registration", () => {
  const form = (overrides: Record<string, string> = {}) => ({
    companyName: "天津测试医疗科技有限公司",
    uscc: randomUscc(),
    contactName: "张三",
    email: uniqueEmail("reg"),
    phone: "13812345678",
    password: TEST_PASSWORD,
    confirmPassword: TEST_PASSWORD,
    ...overrides,
  });

  it("creates the company, its administrator, a verification email and an audit row in one go", async () => {
    const input = form();
    const res = await anonymous().post("/register", input);
    expect(res.status).toBe(200);
    const user = await prisma.user.findUniqueOrThrow({ where: { email: input.email }, include: { company: true } });
    expect(user.role).toBe("APPLICANT");
    expect(user.isCompanyAdmin).toBe(true);
    expect(user.emailVerifiedAt).toBeNull();
    expect(user.company?.uscc).toBe(input.uscc);
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    const email = await prisma.emailMessage.findFirstOrThrow({ where: { toAddress: input.email } });
    expect(email.template).toBe("verify-email");
    expect(email.state).toBe("QUEUED");
    expect(await prisma.auditEvent.count({ where: { action: "company.register", objectId: user.companyId! } })).toBe(1);
  });

  it("rejects a wrong check character with a clear error and keeps what was typed", async () => {
    const good = randomUscc();
    const bad = good.slice(0, 17) + (good[17] === "0" ? "1" : "0");
    const input = form({ uscc: bad });
    const res = await anonymous().post("/register", input);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("统一社会信用代码校验位不正确");
    expect(html).toContain(input.email);
    expect(html).toContain(input.companyName);
    expect(html).not.toContain(TEST_PASSWORD);
    expect(await prisma.user.count({ where: { email: input.email } })).toBe(0);
  });

  it("rejects weak passwords with the reason", async () => {
    for (const [password, message] of [
      ["Password1", "密码至少 10 个字符"],
      ["abcdefghijk", "至少三类"],
      ["Password123!", "过于常见"],
    ] as const) {
      const input = form({ password, confirmPassword: password });
      const html = await (await anonymous().post("/register", input)).text();
      expect(html).toContain(message);
    }
    const email = uniqueEmail("mailpw");
    const html = await (await anonymous().post("/register", form({ email, password: `X1!${email}`, confirmPassword: `X1!${email}` }))).text();
    expect(html).toContain("密码不能包含邮箱地址");
  });

  it("accepts a 64-character passphrase without truncating it", async () => {
    const passphrase = "绿通 green channel for class II devices, Tianjin 2026 — ok!".padEnd(64, "x");
    const input = form({ password: passphrase, confirmPassword: passphrase });
    expect((await anonymous().post("/register", input)).status).toBe(200);
    await prisma.user.update({ where: { email: input.email }, data: { emailVerifiedAt: new Date() } });
    expect((await signInForm(anonymous(), input.email, passphrase)).status).toBe(302);
    expect((await signInForm(anonymous(), input.email, passphrase.slice(0, 63))).status).toBe(401);
  });

  it("refuses a second registration of the same company or email", async () => {
    const first = form();
    await anonymous().post("/register", first);
    const again = await anonymous().post("/register", form({ uscc: first.uscc }));
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("该企业已注册");
    const sameEmail = await anonymous().post("/register", form({ email: first.email }));
    expect(await sameEmail.text()).toContain("该邮箱已注册");
  });

  it("verifies the email through the one-time link, once", async () => {
    const user = await createUser("APPLICANT");
    await prisma.user.update({ where: { id: user.id }, data: { emailVerifiedAt: null } });
    expect((await signInForm(anonymous(), user.email, TEST_PASSWORD)).status).toBe(403);
    const token = await issueToken(prisma, user.id, "VERIFY_EMAIL");
    const page = await anonymous().get(`/verify-email?token=${token}`);
    expect(await page.text()).toContain(user.email);
    const res = await anonymous().post("/verify-email", { token });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/login?verified=1");
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerifiedAt).not.toBeNull();
    expect((await anonymous().post("/verify-email", { token })).status).toBe(400);
  });
});

describe("sign-in and sessions", () => {
  it("issues a new session id at sign-in with HttpOnly and SameSite=Lax, and signs out server-side", async () => {
    const user = await createUser("ADVISOR");
    const client = anonymous();
    // A session planted before sign-in must not survive it (no fixation).
    const planted = await signedInClient(server.baseUrl, (await createUser("ADVISOR")).id);
    client.cookies = new Map(planted.cookies);
    const plantedCookie = [...client.cookies.values()][0]!;
    const res = await signInForm(client, user.email, TEST_PASSWORD);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/advisor");
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith("gl_session="))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Secure/i); // local http only
    expect([...client.cookies.values()][0]).not.toBe(plantedCookie);
    expect((await client.get("/advisor")).status).toBe(200);
    const sessions = await prisma.session.findMany({ where: { userId: user.id } });
    expect(sessions).toHaveLength(1);

    const stolen = new Map(client.cookies);
    const out = await client.post("/logout", {});
    expect(out.headers.get("location")).toBe("/login?signedOut=1");
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0);
    const replay = anonymous();
    replay.cookies = stolen;
    expect((await replay.get("/advisor")).status).toBe(302);
    const actions = (await prisma.auditEvent.findMany({ where: { actorId: user.id }, orderBy: { id: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["auth.signin", "auth.signout"]);
  });

  it("ends a session idle past the timeout and deletes its row", async () => {
    const user = await createUser("WINDOW");
    const client = await signedInClient(server.baseUrl, user.id);
    expect((await client.get("/window")).status).toBe(200);
    await prisma.session.updateMany({ where: { userId: user.id }, data: { lastSeenAt: new Date(Date.now() - 31 * 60_000) } });
    const res = await client.get("/window");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/login/);
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("ends a session past its absolute lifetime even when active", async () => {
    const user = await createUser("WINDOW");
    const client = await signedInClient(server.baseUrl, user.id);
    await prisma.session.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await client.get("/window")).status).toBe(302);
  });

  it("locks after 5 failures with the same message as a wrong password; an admin unlocks", async () => {
    const user = await createUser("APPLICANT");
    const wrongAnswers: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await signInForm(anonymous(), user.email, "Wrong#Password2026");
      expect(res.status).toBe(401);
      wrongAnswers.push(await res.text());
    }
    const locked = await signInForm(anonymous(), user.email, TEST_PASSWORD);
    expect(locked.status).toBe(401);
    const lockedText = await locked.text();
    expect(lockedText).toContain("邮箱或密码错误");
    expect(wrongAnswers[0]).toContain("邮箱或密码错误");
    const unknown = await signInForm(anonymous(), uniqueEmail("nobody"), TEST_PASSWORD);
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toContain("邮箱或密码错误");

    const row = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    const audits = await prisma.auditEvent.findMany({ where: { objectId: user.id }, orderBy: { id: "asc" } });
    expect(audits.filter((a) => a.action === "auth.signin" && a.outcome === "FAILURE")).toHaveLength(6);
    expect(audits.filter((a) => a.action === "auth.lockout")).toHaveLength(1);

    const admin = await signedInClient(server.baseUrl, (await createUser("ADMIN")).id);
    expect((await admin.get(`/admin/users/${user.id}`)).status).toBe(200);
    expect((await admin.post(`/admin/users/${user.id}`, { intent: "unlock" })).status).toBe(200);
    expect((await signInForm(anonymous(), user.email, TEST_PASSWORD)).status).toBe(302);
    expect(await prisma.auditEvent.count({ where: { action: "user.unlock", objectId: user.id } })).toBe(1);
  });

  it("resets a password through the emailed one-time link and ends other sessions", async () => {
    const user = await createUser("APPLICANT");
    const other = await signedInClient(server.baseUrl, user.id);
    const res = await anonymous().post("/forgot-password", { email: user.email });
    expect(res.status).toBe(200);
    const email = await prisma.emailMessage.findFirstOrThrow({ where: { toAddress: user.email, template: "reset-password" } });
    const url = new URL((email.props as { url: string }).url);
    const token = url.searchParams.get("token")!;
    expect((await anonymous().get(`/reset-password?token=${token}`)).status).toBe(200);
    const weak = await anonymous().post("/reset-password", { token, password: "short", confirmPassword: "short" });
    expect(weak.status).toBe(400);
    const newPassword = "Another#Device2027";
    const done = await anonymous().post("/reset-password", { token, password: newPassword, confirmPassword: newPassword });
    expect(done.headers.get("location")).toBe("/login?reset=1");
    expect((await other.get("/applicant")).status).toBe(302);
    expect((await signInForm(anonymous(), user.email, newPassword)).status).toBe(302);
    const reused = await anonymous().post("/reset-password", { token, password: newPassword, confirmPassword: newPassword });
    expect(reused.status).toBe(400);
    // Unknown emails get the same answer and no email.
    const unknown = await anonymous().post("/forgot-password", { email: uniqueEmail("ghost") });
    expect(unknown.status).toBe(200);
  });
});

describe("invitations and staff accounts", () => {
  it("a company administrator invites a colleague into their own company only", async () => {
    const admin = await createUser("APPLICANT");
    const client = await signedInClient(server.baseUrl, admin.id);
    const email = uniqueEmail("colleague");
    const other = await createUser("APPLICANT");
    // A hidden companyId is ignored: the company comes from the session (QUALITY S2).
    const res = await client.post("/applicant/company", { name: "李四", email, companyId: other.companyId!, role: "ADMIN" });
    expect(res.status).toBe(200);
    const invited = await prisma.user.findUniqueOrThrow({ where: { email } });
    expect(invited.companyId).toBe(admin.companyId);
    expect(invited.role).toBe("APPLICANT");
    expect(invited.passwordHash).toBeNull();

    const mail = await prisma.emailMessage.findFirstOrThrow({ where: { toAddress: email, template: "invite" } });
    const token = new URL((mail.props as { url: string }).url).searchParams.get("token")!;
    const accepted = await anonymous().post("/invite", { token, name: "李四", password: TEST_PASSWORD, confirmPassword: TEST_PASSWORD });
    expect(accepted.status).toBe(302);
    expect((await signInForm(anonymous(), email, TEST_PASSWORD)).headers.get("location")).toBe("/applicant");

    const colleague = await signedInClient(server.baseUrl, invited.id);
    const refused = await colleague.post("/applicant/company", { name: "王五", email: uniqueEmail("x") });
    expect(refused.status).toBe(400);
  });

  it("only administrators create staff accounts", async () => {
    const admin = await signedInClient(server.baseUrl, (await createUser("ADMIN")).id);
    const email = uniqueEmail("advisor");
    const res = await admin.post("/admin/users/new", { name: "新辅导员", email, role: "ADVISOR" });
    expect(res.status).toBe(302);
    expect((await prisma.user.findUniqueOrThrow({ where: { email } })).role).toBe("ADVISOR");
    const bad = await admin.post("/admin/users/new", { name: "x", email: uniqueEmail("a"), role: "APPLICANT" });
    expect(bad.status).toBe(400);
    const windowStaff = await signedInClient(server.baseUrl, (await createUser("WINDOW")).id);
    const refused = await windowStaff.post("/admin/users/new", { name: "x", email: uniqueEmail("b"), role: "ADMIN" });
    expect(refused.status).toBe(403);
  });

  it("deactivating a user ends their sessions", async () => {
    const user = await createUser("ADVISOR");
    const session = await signedInClient(server.baseUrl, user.id);
    const admin = await signedInClient(server.baseUrl, (await createUser("ADMIN")).id);
    await admin.post(`/admin/users/${user.id}`, { intent: "deactivate" });
    expect((await session.get("/advisor")).status).toBe(302);
    expect((await signInForm(anonymous(), user.email, TEST_PASSWORD)).status).toBe(401);
  });
});

describe("HTTP protections", () => {
  it("refuses cross-site form posts and lets same-origin ones through", async () => {
    const user = await createUser("ADVISOR");
    const cross = await anonymous().post("/login", { email: user.email, password: TEST_PASSWORD }, { Origin: "https://evil.example" });
    expect(cross.status).toBe(403);
    const fetchSite = await anonymous().post("/login", { email: user.email, password: TEST_PASSWORD }, { "Sec-Fetch-Site": "cross-site" });
    expect(fetchSite.status).toBe(403);
    const same = await anonymous().post("/login", { email: user.email, password: TEST_PASSWORD }, { Origin: server.baseUrl, "Sec-Fetch-Site": "same-origin" });
    expect(same.status).toBe(302);
  });

  it("sends the security headers and no-store on pages", async () => {
    const res = await anonymous().get("/login");
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBeTruthy();
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("strict-transport-security")).toBeNull();
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers /healthz with the state of PostgreSQL and Redis", async () => {
    const res = await anonymous().get("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", postgres: "ok", redis: "ok" });
  });

  it("serves Prometheus metrics on loopback", async () => {
    const res = await anonymous().get("/metrics");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("greenlane_http_request_duration_seconds");
  });

  it("stores only a hash of the session token", async () => {
    const user = await createUser("AUDITOR");
    const client = anonymous();
    await signInForm(client, user.email, TEST_PASSWORD);
    const raw = decodeURIComponent(client.cookies.get("gl_session")!);
    const row = await prisma.session.findFirstOrThrow({ where: { userId: user.id } });
    expect(raw).not.toContain(row.id);
    const token = JSON.parse(Buffer.from(raw.split(".")[0]!, "base64").toString()) as string;
    expect(row.id).toBe(sha256(token));
  });
});
