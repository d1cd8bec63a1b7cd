import type { Role } from "#app/.server/generated/prisma/enums.ts";

/**
 * Who may open each route module: the expectation the route-guard test checks
 * every route against (it fails for a route missing here), and the source of
 * the README's role × page matrix (`npm run docs:routes`).
 * "public" routes need no sign-in; the others call requireRole themselves.
 */
export interface RouteAccess {
  /** A URL that reaches the route; `:userId` etc. are filled by the test. */
  path: string;
  access: "public" | readonly Role[];
  /** What the page is, for the README matrix. */
  title: string;
  /** A resource route (no page): allowed roles may get a redirect or a file; it has no single-fetch data URL. */
  resource?: true;
}

export const ROUTE_ACCESS: Record<string, RouteAccess> = {
  "_index": { path: "/", access: "public", title: "Front door → role home or sign-in" },
  login: { path: "/login", access: "public", title: "Sign in" },
  logout: { path: "/logout", access: "public", title: "Sign out (POST)" },
  register: { path: "/register", access: "public", title: "Company self-registration" },
  "verify-email": { path: "/verify-email", access: "public", title: "Confirm email (one-time link)" },
  "forgot-password": { path: "/forgot-password", access: "public", title: "Request a password reset" },
  "reset-password": { path: "/reset-password", access: "public", title: "Set a new password (one-time link)" },
  invite: { path: "/invite", access: "public", title: "Accept an invitation (one-time link)" },
  language: { path: "/language", access: "public", title: "Switch language (POST)" },
  "applicant._index": { path: "/applicant", access: ["APPLICANT"], title: "My applications (status, advisor, open gaps)" },
  "dossiers.new": { path: "/dossiers/new", access: ["APPLICANT"], title: "New application" },
  "dossiers.$dossierId._index": { path: "/dossiers/:dossierId", access: ["APPLICANT", "ADVISOR", "WINDOW", "ADMIN"], title: "Application overview: checklist, completeness, submit, withdraw, messages, reassign" },
  "dossiers.$dossierId.edit": { path: "/dossiers/:dossierId/edit", access: ["APPLICANT"], title: "Edit a draft application" },
  "dossiers.$dossierId.items.$itemId": { path: "/dossiers/:dossierId/items/:itemId", access: ["APPLICANT", "ADVISOR", "WINDOW", "ADMIN"], title: "Item: versions, upload, not applicable, gaps and review" },
  "dossiers.$dossierId.items.$itemId.upload": { path: "/dossiers/:dossierId/items/:itemId/upload", access: ["APPLICANT"], title: "Streaming upload (POST)", resource: true },
  "dossiers.$dossierId.documents.$versionId": { path: "/dossiers/:dossierId/documents/:versionId", access: ["APPLICANT", "ADVISOR", "WINDOW", "ADMIN"], title: "Document download / PDF preview", resource: true },
  "dossiers.$dossierId.receipt.$submissionId": { path: "/dossiers/:dossierId/receipt/:submissionId", access: ["APPLICANT", "ADVISOR", "WINDOW", "ADMIN"], title: "Printable submission receipt (回执)" },
  "dossiers.$dossierId.deferrals": { path: "/dossiers/:dossierId/deferrals", access: ["APPLICANT", "ADVISOR", "WINDOW", "ADMIN"], title: "Deferred documents (容缺后补): request, refuse, extend, terminate, verify" },
  "dossiers.$dossierId.commitment": { path: "/dossiers/:dossierId/commitment", access: ["APPLICANT"], title: "Commitment letter preview before submission (承诺书)" },
  "dossiers.$dossierId.letters.$letterId": { path: "/dossiers/:dossierId/letters/:letterId", access: ["APPLICANT", "ADVISOR", "WINDOW", "ADMIN"], title: "Printable letters and notices: commitment, deferral, correction, non-acceptance, supplement" },
  "dossiers.$dossierId.progress": { path: "/dossiers/:dossierId/progress", access: ["APPLICANT", "ADVISOR", "WINDOW", "ADMIN"], title: "Progress (办件进度): stage clocks, history, notices; window milestones (补正, 不予受理, 转审评, 发补, 体系核查, 结论, 决定, 终止)" },
  "dossiers.$dossierId.certificate": { path: "/dossiers/:dossierId/certificate", access: ["APPLICANT", "ADVISOR", "WINDOW", "ADMIN"], title: "Certificate of the application: window issues it from the prefilled draft once approved (发证); others see its link" },
  "certificates.$certificateId": { path: "/certificates/:certificateId", access: ["APPLICANT", "ADVISOR", "WINDOW", "ADMIN"], title: "Electronic certificate (电子注册证) with QR code, printable; window may cancel it (注销)" },
  "verify._index": { path: "/verify", access: "public", title: "Public certificate verification by number (rate limited)" },
  // A loosely written number redirects to its canonical address, so this answers without a stored certificate.
  "verify.$number": { path: "/verify/津械注准20262070001号", access: "public", title: "Public verification page of one certificate: the QR code's target (rate limited)" },
  notifications: { path: "/notifications", access: ["APPLICANT", "ADVISOR", "WINDOW", "ADMIN", "AUDITOR"], title: "Notifications" },
  "applicant.company": { path: "/applicant/company", access: ["APPLICANT"], title: "Company and colleagues; invite" },
  "advisor._index": { path: "/advisor", access: ["ADVISOR"], title: "My assignments (sortable by open gaps and age)" },
  "advisor.profile": { path: "/advisor/profile", access: ["ADVISOR"], title: "Advisor profile: specialties, capacity, contact" },
  "advisor.deferrals": { path: "/advisor/deferrals", access: ["ADVISOR"], title: "Deferred items of my applications, due soonest first" },
  "window._index": { path: "/window", access: ["WINDOW"], title: "Case queue: every dossier but drafts with stage clocks; filters, search, sort, keyset pages in the URL; dashboard; bulk advisor reassignment" },
  "window.queue-export": { path: "/window/queue-export?format=csv", access: ["WINDOW"], title: "Queue export of the filtered list (XLSX or CSV, audited)", resource: true },
  "window.calendar": { path: "/window/calendar", access: ["WINDOW"], title: "Holiday calendar: rest days and make-up working days" },
  "window.deferrals": { path: "/window/deferrals", access: ["WINDOW"], title: "Deferrals by due date, overdue, breached; commitment records" },
  "window.deliveries": { path: "/window/deliveries", access: ["WINDOW"], title: "Delivery problems: failed emails (send again), failing reminders" },
  "window.policy": { path: "/window/policy", access: ["WINDOW"], title: "Deferral policy: deferrable items, limits, reminder offsets (versioned)" },
  "window.clock-policy": { path: "/window/clock-policy", access: ["WINDOW"], title: "Stage time limits (电子监察): legal limits, green-channel targets, warning threshold (versioned)" },
  "window.unassigned": { path: "/window/unassigned", access: ["WINDOW", "ADMIN"], title: "Unassigned applications: assign an advisor" },
  "indicators._index": { path: "/indicators", access: ["WINDOW", "ADMIN", "AUDITOR"], title: "表1 indicators: 医疗器械证 count / target, breakdowns, months, list; recorded certificates to verify; the whole 表1" },
  "indicators.certificates.new": { path: "/indicators/certificates/new", access: ["WINDOW"], title: "Record a certificate obtained elsewhere, with evidence (four-eyes verification follows)" },
  "indicators.$indicatorId": { path: "/indicators/:indicatorId", access: ["WINDOW", "ADMIN", "AUDITOR"], title: "Indicator: definition, new value with evidence, value history" },
  "indicators.evidence.$kind.$id": { path: "/indicators/evidence/value/:indicatorValueId", access: ["WINDOW", "ADMIN", "AUDITOR"], title: "Evidence download (recorded certificate or indicator value)", resource: true },
  "indicators.report": { path: "/indicators/report", access: ["WINDOW", "ADMIN", "AUDITOR"], title: "Quarterly 表1 report for the joint meeting (XLSX)", resource: true },
  "district.indicators": { path: "/district/indicators", access: "public", title: "Public summary of the 表1 indicators (figures only)" },
  "admin._index": { path: "/admin", access: ["ADMIN"], title: "Users" },
  "admin.users.new": { path: "/admin/users/new", access: ["ADMIN"], title: "New staff account" },
  "admin.users.$userId": { path: "/admin/users/:userId", access: ["ADMIN"], title: "User: unlock, (de)activate, resend invite" },
  "audit._index": { path: "/audit", access: ["AUDITOR"], title: "Audit log and chain check" },
  "mailbox._index": { path: "/mailbox", access: ["WINDOW", "ADMIN"], title: "Development mailbox" },
  "mailbox.$messageId": { path: "/mailbox/:messageId", access: ["WINDOW", "ADMIN"], title: "Development mailbox message" },
};

export const ALL_ROLES: readonly Role[] = ["APPLICANT", "ADVISOR", "WINDOW", "ADMIN", "AUDITOR"];

/** The README's role × page matrix. */
export function renderRouteMatrix(): string {
  const head = `| page | path | ${ALL_ROLES.join(" | ")} | anonymous |`;
  const sep = `|---|---|${ALL_ROLES.map(() => "---").join("|")}|---|`;
  const rows = Object.entries(ROUTE_ACCESS).map(([, r]) => {
    const cells = ALL_ROLES.map((role) => (r.access === "public" || r.access.includes(role) ? "✓" : ""));
    return `| ${r.title} | \`${r.path}\` | ${cells.join(" | ")} | ${r.access === "public" ? "✓" : ""} |`;
  });
  return [head, sep, ...rows].join("\n");
}
