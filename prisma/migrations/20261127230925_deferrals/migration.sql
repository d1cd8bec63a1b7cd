-- CreateEnum
CREATE TYPE "DeferralState" AS ENUM ('REQUESTED', 'PENDING', 'EXTENDED', 'OVERDUE', 'BREACHED', 'FULFILLED', 'VERIFIED', 'REFUSED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "LetterKind" AS ENUM ('COMMITMENT', 'DEFERRAL_NOTICE');

-- AlterTable
ALTER TABLE "dossier" ADD COLUMN     "accepted_at" TIMESTAMPTZ(3),
ADD COLUMN     "terminated_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "deferral" (
    "id" UUID NOT NULL,
    "dossier_id" UUID NOT NULL,
    "item_id" UUID NOT NULL,
    "state" "DeferralState" NOT NULL DEFAULT 'REQUESTED',
    "reason" TEXT NOT NULL,
    "due_date" DATE NOT NULL,
    "original_due_date" DATE,
    "policy_id" UUID NOT NULL,
    "requested_by_id" UUID NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "commitment_id" UUID,
    "notice_id" UUID,
    "accepted_at" TIMESTAMPTZ(3),
    "accepted_by_id" UUID,
    "fulfilled_at" TIMESTAMPTZ(3),
    "fulfilled_version_id" UUID,
    "verified_at" TIMESTAMPTZ(3),
    "verified_by_id" UUID,
    "extended_at" TIMESTAMPTZ(3),
    "extended_by_id" UUID,
    "extension_reason" TEXT,
    "overdue_at" TIMESTAMPTZ(3),
    "breached_at" TIMESTAMPTZ(3),
    "refused_at" TIMESTAMPTZ(3),
    "refused_by_id" UUID,
    "refusal_reason" TEXT,
    "closed_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "deferral_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "issued_letter" (
    "id" UUID NOT NULL,
    "dossier_id" UUID NOT NULL,
    "kind" "LetterKind" NOT NULL,
    "sequence" INTEGER NOT NULL,
    "content" JSONB NOT NULL,
    "sha256" TEXT NOT NULL,
    "issued_by_id" UUID NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ip" TEXT,
    "user_agent" TEXT,

    CONSTRAINT "issued_letter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "commitment_breach" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "deferral_id" UUID NOT NULL,
    "breached_at" TIMESTAMPTZ(3) NOT NULL,
    "bar_until" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "commitment_breach_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "deferral_dossier_id_idx" ON "deferral"("dossier_id");

-- CreateIndex
CREATE INDEX "deferral_state_due_date_idx" ON "deferral"("state", "due_date");

-- CreateIndex
CREATE UNIQUE INDEX "issued_letter_dossier_id_kind_sequence_key" ON "issued_letter"("dossier_id", "kind", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "commitment_breach_deferral_id_key" ON "commitment_breach"("deferral_id");

-- CreateIndex
CREATE INDEX "commitment_breach_company_id_bar_until_idx" ON "commitment_breach"("company_id", "bar_until");

-- AddForeignKey
ALTER TABLE "deferral" ADD CONSTRAINT "deferral_dossier_id_fkey" FOREIGN KEY ("dossier_id") REFERENCES "dossier"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deferral" ADD CONSTRAINT "deferral_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "dossier_item"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deferral" ADD CONSTRAINT "deferral_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "deferral_policy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deferral" ADD CONSTRAINT "deferral_commitment_id_fkey" FOREIGN KEY ("commitment_id") REFERENCES "issued_letter"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deferral" ADD CONSTRAINT "deferral_notice_id_fkey" FOREIGN KEY ("notice_id") REFERENCES "issued_letter"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "issued_letter" ADD CONSTRAINT "issued_letter_dossier_id_fkey" FOREIGN KEY ("dossier_id") REFERENCES "dossier"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "commitment_breach" ADD CONSTRAINT "commitment_breach_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "company"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "commitment_breach" ADD CONSTRAINT "commitment_breach_deferral_id_fkey" FOREIGN KEY ("deferral_id") REFERENCES "deferral"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- At most one open deferral per checklist item: saving the same deferral twice keeps one row (QUALITY R8).
CREATE UNIQUE INDEX "deferral_item_open_key" ON "deferral"("item_id")
  WHERE "state" IN ('REQUESTED', 'PENDING', 'EXTENDED', 'OVERDUE', 'BREACHED', 'FULFILLED');
