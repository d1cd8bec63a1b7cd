/**
 * axe-core on every page of every role, driven by the route inventory
 * (app/route-access.ts): for each route with a page and each role allowed on
 * it (and anonymous visitors for public ones), real instances of the page are
 * opened, with ids taken from the demo seed (e2e/factories.ts), and any
 * serious or critical violation fails the role's test, listed by page and
 * rule. A route with path parameters that this file cannot fill fails the
 * inventory test, so a new page cannot ship unchecked.
 *
 * One test per role (and one for anonymous visitors) signs in once and walks
 * its pages; the tests run in parallel. Each role's home page is also kept as a
 * full-page screenshot in test-results/screenshots/<role>.png, and the pages
 * walked are attached to the test as pages.txt.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { ROUTE_ACCESS, type ALL_ROLES, type RouteAccess } from "../app/route-access.ts";
import { waitForHydration } from "./dossier-pages.ts";
import { demoRecords, issueLinkToken, type DemoRecords, type LinkPurpose } from "./factories.ts";
import { DEMO_USERS, expect, loginAs, seriousViolations, test, type DemoRole } from "./fixtures.ts";

type Visitor = DemoRole | "anonymous";

/** Every visitor, the ones with the most pages first so that the two workers finish together. */
const RUN_ORDER: Record<Visitor, number> = { window: 0, admin: 1, applicant: 2, advisor: 3, auditor: 4, anonymous: 5 };
const VISITORS = (Object.keys(RUN_ORDER) as Visitor[]).sort((a, b) => RUN_ORDER[a] - RUN_ORDER[b]);

/** One page to check: its address, and the status it answers with when that is not 200 (a "not found" state). */
interface Instance {
  path: string;
  status?: number;
}

/** Routes without a page: their GET only redirects, their work is a POST (checked below). */
const POST_ONLY = new Set(["logout", "language"]);

/** The one-time link pages: checked without a token (the "invalid or expired link" state) and with a valid one (the form). */
const ONE_TIME_LINKS: Record<string, LinkPurpose> = { "verify-email": "VERIFY_EMAIL", "reset-password": "RESET_PASSWORD", invite: "INVITE" };

/** The route's sample path in app/route-access.ts. */
function sample(routeId: string): string {
  const route = ROUTE_ACCESS[routeId];
  if (!route) throw new Error(`no route ${routeId} in app/route-access.ts`);
  return route.path;
}

interface Records extends DemoRecords {
  tokens: Record<LinkPurpose, string>;
  /** The user the invitation token was issued to (no password yet). */
  inviteeId: string;
}

/** The route's sample path with its parameters filled in: every parameter must be given, and only those. */
function fill(routeId: string, values: Record<string, string | null | undefined>): string {
  const path = sample(routeId);
  const used = new Set<string>();
  const filled = path.replace(/:(\w+)/g, (_, name: string) => {
    const value = values[name];
    if (!value) throw new Error(`${routeId}: no value for :${name}`);
    used.add(name);
    return encodeURIComponent(value);
  });
  const unused = Object.keys(values).filter((name) => !used.has(name));
  if (unused.length > 0) throw new Error(`${routeId}: ${path} has no :${unused.join(", :")}`);
  return filled;
}

function seededCertificate(r: Records): { id: string; number: string } {
  const certificate = r.dossiers.certified.certificate;
  if (!certificate) throw new Error("the demo seed's certified application has no certificate");
  return certificate;
}

/**
 * The real instances of every route with parameters, and of routes with a
 * state worth a check of its own. A route with a page and no parameters that
 * is not listed here is checked at its sample path.
 */
const INSTANCES: Record<string, (r: Records) => Instance[]> = {
  ...Object.fromEntries(
    Object.entries(ONE_TIME_LINKS).map(([routeId, purpose]) => [routeId, (r: Records) => [{ path: sample(routeId) }, { path: `${sample(routeId)}?token=${r.tokens[purpose]}` }]]),
  ),
  "dossiers.$dossierId._index": ({ dossiers: d }) =>
    [d.draft, d.deferral, d.review, d.certified].map((x) => ({ path: fill("dossiers.$dossierId._index", { dossierId: x.id }) })),
  // A draft can be edited; once submitted the page says so.
  "dossiers.$dossierId.edit": ({ dossiers: d }) => [d.draft, d.certified].map((x) => ({ path: fill("dossiers.$dossierId.edit", { dossierId: x.id }) })),
  // An empty item (upload form), the deferred 3.4 of the 容缺受理 application, an item with a document of the certified one.
  "dossiers.$dossierId.items.$itemId": ({ dossiers: d }) =>
    [d.draft, d.deferral, d.certified].map((x) => ({ path: fill("dossiers.$dossierId.items.$itemId", { dossierId: x.id, itemId: x.itemId }) })),
  "dossiers.$dossierId.receipt.$submissionId": ({ dossiers: d }) => [
    { path: fill("dossiers.$dossierId.receipt.$submissionId", { dossierId: d.deferral.id, submissionId: d.deferral.submissionId }) },
  ],
  // The applicant's request form on a draft; the accepted deferral with its letters.
  "dossiers.$dossierId.deferrals": ({ dossiers: d }) => [d.draft, d.deferral].map((x) => ({ path: fill("dossiers.$dossierId.deferrals", { dossierId: x.id }) })),
  "dossiers.$dossierId.commitment": ({ dossiers: d }) => [{ path: fill("dossiers.$dossierId.commitment", { dossierId: d.draft.id }) }],
  // Every letter of the seed: commitment, deferral notice, supplement notice.
  "dossiers.$dossierId.letters.$letterId": ({ dossiers: d }) =>
    [d.deferral, d.review].flatMap((x) => x.letterIds.map((letterId) => ({ path: fill("dossiers.$dossierId.letters.$letterId", { dossierId: x.id, letterId }) }))),
  // The supplement wait with a QMS inspection running; the finished application.
  "dossiers.$dossierId.progress": ({ dossiers: d }) => [d.review, d.certified].map((x) => ({ path: fill("dossiers.$dossierId.progress", { dossierId: x.id }) })),
  // Not issued yet; issued.
  "dossiers.$dossierId.certificate": ({ dossiers: d }) => [d.review, d.certified].map((x) => ({ path: fill("dossiers.$dossierId.certificate", { dossierId: x.id }) })),
  "certificates.$certificateId": (r) => [{ path: fill("certificates.$certificateId", { certificateId: seededCertificate(r).id }) }],
  // The seed's certificate, its number written loosely (redirected to the canonical address), and a number nobody holds.
  "verify.$number": (r) => [
    { path: `/verify/${encodeURIComponent(`${seededCertificate(r).number}号`)}` },
    { path: `/verify/${encodeURIComponent("津械注准20262079999")}`, status: 404 },
  ],
  "indicators.$indicatorId": ({ indicators }) => [indicators.counted, indicators.manual].map((id) => ({ path: fill("indicators.$indicatorId", { indicatorId: id }) })),
  // An active user, and an invitee who has not set a password yet.
  "admin.users.$userId": (r) => [r.applicantId, r.inviteeId].map((id) => ({ path: fill("admin.users.$userId", { userId: id }) })),
  "mailbox.$messageId": (r) => [{ path: fill("mailbox.$messageId", { messageId: r.mailMessageId }) }],
};

const hasPage = (route: RouteAccess) => !route.resource;
/** A `$param` segment in the module name, or a `:param` in the sample path: only real ids make it a page worth checking. */
const hasParameters = (routeId: string, route: RouteAccess) => routeId.includes("$") || /:\w/.test(route.path);

function allowed(route: RouteAccess, visitor: Visitor): boolean {
  if (route.access === "public") return true;
  return visitor !== "anonymous" && route.access.includes(visitor.toUpperCase() as (typeof ALL_ROLES)[number]);
}

/** The routes with a page that `visitor` may open, with their instances. */
function pagesFor(visitor: Visitor, records: Records): { routeId: string; instances: Instance[] }[] {
  return Object.entries(ROUTE_ACCESS)
    .filter(([routeId, route]) => hasPage(route) && !POST_ONLY.has(routeId) && allowed(route, visitor))
    .map(([routeId, route]) => ({ routeId, instances: INSTANCES[routeId]?.(records) ?? [{ path: route.path }] }));
}

let records: Promise<Records> | undefined;
/** The seed's ids and one valid token per one-time link (created once per worker). */
function loadRecords(): Promise<Records> {
  records ??= (async () => {
    const [demo, verify, reset, invite] = await Promise.all([
      demoRecords(),
      issueLinkToken("VERIFY_EMAIL"),
      issueLinkToken("RESET_PASSWORD"),
      issueLinkToken("INVITE"),
    ]);
    return { ...demo, inviteeId: invite.userId, tokens: { VERIFY_EMAIL: verify.token, RESET_PASSWORD: reset.token, INVITE: invite.token } };
  })();
  return records;
}

/** "color-contrast (serious, 3×: .badge--grey, …)" for each serious or critical violation. */
async function violationsOn(page: Page): Promise<string[]> {
  // Legacy mode runs axe in the page itself instead of opening a blank page per
  // analysis to merge frame results: about twice as fast, and the portal has no frames.
  return (await seriousViolations(page, new AxeBuilder({ page }).setLegacyMode(true))).map((v) => {
    const targets = v.nodes.map((n) => n.target);
    const shown = targets.slice(0, 3).join(", ") + (targets.length > 3 ? ", …" : "");
    return `${v.id} (${v.impact}, ${targets.length}×: ${shown}) — ${v.help}`;
  });
}

test.describe("accessibility of every page", () => {
  test.describe.configure({ mode: "parallel" });

  test("the route inventory maps every page to real instances", async ({ request }) => {
    const problems: string[] = [];
    for (const [routeId, route] of Object.entries(ROUTE_ACCESS)) {
      if (!hasPage(route)) continue;
      if (POST_ONLY.has(routeId)) {
        // Declared without a page: its GET must only redirect.
        const response = await request.get(route.path, { maxRedirects: 0 });
        if (response.status() < 300 || response.status() >= 400) problems.push(`${routeId}: listed as POST-only, but GET ${route.path} answers ${response.status()}`);
        continue;
      }
      if (hasParameters(routeId, route) && !INSTANCES[routeId]) problems.push(`${routeId} (${route.path}): no instances in e2e/accessibility.spec.ts INSTANCES`);
    }
    for (const routeId of [...Object.keys(INSTANCES), ...POST_ONLY]) {
      const route = ROUTE_ACCESS[routeId];
      if (!route) problems.push(`${routeId}: listed in e2e/accessibility.spec.ts but not in app/route-access.ts`);
      else if (route.resource) problems.push(`${routeId}: a resource route, has no page to check`);
    }
    expect(problems, "routes the accessibility spec cannot check").toEqual([]);
  });

  for (const visitor of VISITORS) {
    test(`${visitor}: no serious or critical axe violations on any page`, async ({ page, pageErrors }, testInfo) => {
      const pages = pagesFor(visitor, await loadRecords());
      // About a second a page on an idle machine; the allowance leaves room for a busy one.
      test.setTimeout(30_000 + 5_000 * pages.reduce((n, p) => n + p.instances.length, 0));
      const checked = new Map<string, string>(); // address shown → the label it was checked under
      const failures: string[] = [];
      const log: string[] = [];

      /** axe on the page shown, unless this test has already checked that address (a redirect to the home page). */
      const check = async (label: string, expectedStatus: number) => {
        const started = Date.now();
        const url = new URL(page.url());
        const shown = decodeURIComponent(url.pathname + url.search);
        const seen = checked.get(shown);
        if (seen) {
          log.push(`${label} → ${shown} (already checked as ${seen})`);
          return;
        }
        checked.set(shown, label);
        await waitForHydration(page);
        if ((await page.locator("h1").count()) === 0) failures.push(`${label}: no h1 heading`);
        const violations = await violationsOn(page);
        for (const v of violations) failures.push(`${label}: ${v}`);
        const status = expectedStatus === 200 ? "" : ` (${expectedStatus})`;
        log.push(`${label}${label === shown ? "" : ` → ${shown}`}${status}: ${violations.length === 0 ? "ok" : `${violations.length} violation(s)`} (${Date.now() - started} ms)`);
      };

      try {
        if (visitor !== "anonymous") {
          await loginAs(page, visitor);
          await page.screenshot({ path: path.join(testInfo.project.outputDir, "screenshots", `${visitor}.png`), fullPage: true });
          await check(DEMO_USERS[visitor].home, 200);
        }
        for (const { routeId, instances } of pages) {
          for (const instance of instances) {
            const label = decodeURIComponent(instance.path);
            const expected = instance.status ?? 200;
            const status = (await page.goto(instance.path))?.status() ?? 0;
            if (status !== expected) {
              failures.push(`${label} [${routeId}]: answered ${status}, expected ${expected}`);
              continue;
            }
            if (visitor !== "anonymous" && new URL(page.url()).pathname === "/login") {
              failures.push(`${label} [${routeId}]: sent to the sign-in page`);
              continue;
            }
            await check(label, expected);
            if (expected !== 200) {
              // Chromium logs the page's own non-2xx answer as a console error: that one is expected here.
              const index = pageErrors.findIndex((e) => e.includes(`status of ${expected}`) && e.includes(new URL(page.url()).pathname));
              if (index >= 0) pageErrors.splice(index, 1);
            }
          }
        }
      } finally {
        const report = testInfo.outputPath("pages.txt");
        await writeFile(report, `${visitor}: ${checked.size} pages checked\n${log.join("\n")}\n`);
        await testInfo.attach("pages", { path: report, contentType: "text/plain" });
      }
      expect(failures, `${visitor}: serious or critical accessibility violations (page: rule)\n${failures.join("\n")}\n`).toEqual([]);
    });
  }
});
