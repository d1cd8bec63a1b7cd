import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** A home page with nothing in it yet: a heading, and a panel saying what will appear and how. */
export function EmptyHome({ title, emptyTitle, emptyText, lead }: { title: string; emptyTitle: string; emptyText: string; lead?: string }) {
  return (
    <>
      <div className="page-head">
        <h1>{title}</h1>
        {lead ? <p className="lead">{lead}</p> : null}
      </div>
      <section className="panel empty-state" aria-labelledby="empty-title">
        <h2 id="empty-title">{emptyTitle}</h2>
        <p>{emptyText}</p>
      </section>
    </>
  );
}

/** "Next page" for keyset pagination: the current filters plus the cursor parameter. */
export function NextPageLink({ params, cursorName, cursor }: { params: URLSearchParams; cursorName: string; cursor: string | null }) {
  const { t } = useTranslation();
  if (!cursor) return null;
  const next = new URLSearchParams(params);
  next.set(cursorName, cursor);
  return (
    <nav className="pager" aria-label={t("common.next")}>
      <Link to={`?${next.toString()}`}>{t("common.next")} →</Link>
    </nav>
  );
}
