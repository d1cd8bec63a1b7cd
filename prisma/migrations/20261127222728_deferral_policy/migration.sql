-- CreateTable
CREATE TABLE "deferral_policy" (
    "id" UUID NOT NULL,
    "deferrable_codes" TEXT[],
    "max_deferral_working_days" INTEGER NOT NULL,
    "reminder_offsets" INTEGER[],
    "grace_working_days" INTEGER NOT NULL,
    "bar_months" INTEGER NOT NULL,
    "created_by_id" UUID,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deferral_policy_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "deferral_policy_created_at_idx" ON "deferral_policy"("created_at");

-- The default policy (DOMAIN.md; issue 4): the test report may be deferred up to 30 working days
-- from acceptance; reminders 5, 2 and 1 working days before, on the due day, and 1 day after
-- (escalation); 15 working days of grace; a broken commitment bars deferral for 12 months.
INSERT INTO "deferral_policy" ("id", "deferrable_codes", "max_deferral_working_days", "reminder_offsets", "grace_working_days", "bar_months", "reason")
VALUES ('00000000-0000-4000-8000-000000000001', ARRAY['3.4'], 30, ARRAY[5, 2, 1, 0, -1], 15, 12, 'default');
