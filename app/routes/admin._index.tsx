import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireRole } from "#app/.server/auth.ts";
import { prisma, type Prisma } from "#app/.server/db.ts";
import { NextPageLink } from "#app/components/page-parts.tsx";
import { UserStatus } from "#app/components/user-status.tsx";
import { formatDateTime } from "#app/utils/format.ts";

const PAGE_SIZE = 50;
const ROLES = ["APPLICANT", "ADVISOR", "WINDOW", "ADMIN", "AUDITOR"] as const;

// Filters come from an allow-list; anything else is a 400 (QUALITY S16).
const ZFilters = z.object({
  q: z.string().trim().max(100).optional(),
  role: z.enum(ROLES).or(z.literal("")).optional(),
  after: z.uuid().optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["ADMIN"]);
  const url = new URL(request.url);
  const parsed = ZFilters.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw new Response("Bad filter", { status: 400 });
  const { q, role, after } = parsed.data;
  const where: Prisma.UserWhereInput = {
    ...(role ? { role } : {}),
    ...(q
      ? { OR: [{ name: { contains: q, mode: "insensitive" } }, { email: { contains: q, mode: "insensitive" } }, { company: { name: { contains: q, mode: "insensitive" } } }] }
      : {}),
  };
  // Keyset pagination on (createdAt, id), newest first.
  const cursor = after ? await prisma.user.findUnique({ where: { id: after }, select: { createdAt: true, id: true } }) : null;
  const rows = await prisma.user.findMany({
    where: cursor
      ? { AND: [where, { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] }] }
      : where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: PAGE_SIZE + 1,
    select: {
      id: true, name: true, email: true, role: true, active: true, passwordHash: true, emailVerifiedAt: true, lockedUntil: true, lastLoginAt: true,
      company: { select: { name: true } },
    },
  });
  const page = rows.slice(0, PAGE_SIZE).map(({ passwordHash, ...u }) => ({ ...u, invited: !passwordHash }));
  return { users: page, nextAfter: rows.length > PAGE_SIZE ? page[page.length - 1]!.id : null, q: q ?? "", role: role ?? "" };
}

export default function AdminUsers() {
  const { t, i18n } = useTranslation();
  const { users, nextAfter, q, role } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      <div className="page-head">
        <h1>{t("admin.title")}</h1>
        <Link to="/admin/users/new" className="button">
          {t("admin.createStaff")}
        </Link>
      </div>
      <Form method="get" className="filters panel" role="search">
        <div className="field">
          <label htmlFor="q">{t("common.search")}</label>
          <input id="q" name="q" defaultValue={q} placeholder={t("admin.searchPlaceholder")} />
        </div>
        <div className="field">
          <label htmlFor="role">{t("admin.role")}</label>
          <select id="role" name="role" defaultValue={role}>
            <option value="">{t("common.all")}</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button--secondary">
          {t("common.filter")}
        </button>
      </Form>
      <div className="panel table-wrap">
        {users.length === 0 ? (
          <p>{t("admin.noUsers")}</p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("admin.name")}</th>
                <th scope="col">{t("admin.email")}</th>
                <th scope="col">{t("admin.role")}</th>
                <th scope="col">{t("admin.company")}</th>
                <th scope="col">{t("admin.status")}</th>
                <th scope="col">{t("admin.lastLogin")}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <td>
                    <Link to={`/admin/users/${u.id}`}>{u.name}</Link>
                  </td>
                  <td>{u.email}</td>
                  <td>{t(`roles.${u.role}`)}</td>
                  <td>{u.company?.name ?? ""}</td>
                  <td>
                    <UserStatus user={u} />
                  </td>
                  <td>{u.lastLoginAt ? formatDateTime(u.lastLoginAt, i18n.language) : t("admin.never")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <NextPageLink params={params} cursorName="after" cursor={nextAfter} />
      </div>
    </>
  );
}
