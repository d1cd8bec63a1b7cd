-- CreateIndex
-- The queue's dashboard strip (/window): open dossiers per stage and clock colour, counted from the index alone.
CREATE INDEX "dossier_queue_dashboard_idx" ON "dossier"("stage", "clock_red_on", "clock_yellow_on", "clock_paused_colour");

-- ---------------------------------------------------------------------------
-- The window queue (/window, app/modules/queue/queue-query.server.ts): keyset
-- pagination on (sort expression, id). Its open view (a clock runs, or the
-- company is correcting: the default scope) gets one ordered index per sort
-- column, partial on exactly the predicate the query writes
-- (stage IS NOT NULL OR status = 'CORRECTION_REQUESTED'), so every sort of the
-- open view, forwards or backwards, first page or deepest, is an index scan in
-- order with no Sort node. Nullable columns are indexed as the non-null
-- expressions the queue sorts on (COALESCE … '9999-12-31' puts "none" last);
-- the query must write the same expressions and predicate (the planner
-- matches expression trees), or it will not use them. The ended and all views are
-- look-ups over finished files and sort their (filtered) rows instead.
-- Prisma cannot express expression or partial indexes, hence raw SQL.
-- ---------------------------------------------------------------------------

-- Default view (/window): open dossiers by clock due date, most urgent first.
CREATE INDEX "dossier_queue_open_due_idx" ON "dossier" ((COALESCE("clock_due_on", '9999-12-31'::date)), "id")
  WHERE "stage" IS NOT NULL OR "status" = 'CORRECTION_REQUESTED';

-- /window?sort=number: by reference number (GL-YYYY-NNNNNN).
CREATE INDEX "dossier_queue_open_number_idx" ON "dossier" ("number", "id")
  WHERE "stage" IS NOT NULL OR "status" = 'CORRECTION_REQUESTED';

-- /window?sort=company: by company name (the copy kept by trigger).
CREATE INDEX "dossier_queue_open_company_idx" ON "dossier" ("company_name", "id")
  WHERE "stage" IS NOT NULL OR "status" = 'CORRECTION_REQUESTED';

-- /window?sort=product: by product name.
CREATE INDEX "dossier_queue_open_product_idx" ON "dossier" ("product_name", "id")
  WHERE "stage" IS NOT NULL OR "status" = 'CORRECTION_REQUESTED';

-- /window?sort=code: by classification catalogue code.
CREATE INDEX "dossier_queue_open_code_idx" ON "dossier" ("catalogue_code", "id")
  WHERE "stage" IS NOT NULL OR "status" = 'CORRECTION_REQUESTED';

-- /window?sort=type: by registration type (enum order: first, change, renewal).
CREATE INDEX "dossier_queue_open_type_idx" ON "dossier" ("registration_type", "id")
  WHERE "stage" IS NOT NULL OR "status" = 'CORRECTION_REQUESTED';

-- /window?sort=stage: by stage in process order (受理 → 发证), correcting dossiers last.
CREATE INDEX "dossier_queue_open_stage_idx" ON "dossier" ((CASE "stage" WHEN 'acceptance' THEN 1 WHEN 'handover' THEN 2 WHEN 'review' THEN 3 WHEN 'approval' THEN 4 WHEN 'issuance' THEN 5 ELSE 9 END), "id")
  WHERE "stage" IS NOT NULL OR "status" = 'CORRECTION_REQUESTED';

-- /window?sort=advisor: by advisor name, unassigned ('') first.
CREATE INDEX "dossier_queue_open_advisor_idx" ON "dossier" ((COALESCE("advisor_name", '')), "id")
  WHERE "stage" IS NOT NULL OR "status" = 'CORRECTION_REQUESTED';

-- /window?sort=gaps: by open gap count (the trigger's copy).
CREATE INDEX "dossier_queue_open_gaps_idx" ON "dossier" ("open_gap_count", "id")
  WHERE "stage" IS NOT NULL OR "status" = 'CORRECTION_REQUESTED';

-- /window?sort=deferral: by the next deferred document's due date, none last.
CREATE INDEX "dossier_queue_open_deferral_idx" ON "dossier" ((COALESCE("next_deferral_due", '9999-12-31'::date)), "id")
  WHERE "stage" IS NOT NULL OR "status" = 'CORRECTION_REQUESTED';

-- /window?sort=activity: by last activity (event, gap, message, document).
CREATE INDEX "dossier_queue_open_activity_idx" ON "dossier" ("last_activity_at", "id")
  WHERE "stage" IS NOT NULL OR "status" = 'CORRECTION_REQUESTED';
