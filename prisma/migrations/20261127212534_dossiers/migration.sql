-- CreateEnum
CREATE TYPE "DossierStatus" AS ENUM ('DRAFT', 'SUBMITTED', 'ACCEPTED', 'CORRECTION_REQUESTED', 'NOT_ACCEPTED', 'IN_REVIEW', 'SUPPLEMENT_REQUESTED', 'REVIEW_CONCLUDED', 'APPROVED', 'REJECTED', 'WITHDRAWN', 'TERMINATED');

-- CreateEnum
CREATE TYPE "RegistrationType" AS ENUM ('FIRST', 'CHANGE', 'RENEWAL');

-- CreateEnum
CREATE TYPE "ProductKind" AS ENUM ('DEVICE', 'IVD');

-- CreateEnum
CREATE TYPE "Requirement" AS ENUM ('R', 'CR', 'NR');

-- CreateEnum
CREATE TYPE "ItemReview" AS ENUM ('PENDING', 'LOOKS_COMPLETE');

-- CreateEnum
CREATE TYPE "GapSeverity" AS ENUM ('MUST', 'SHOULD');

-- CreateEnum
CREATE TYPE "GapState" AS ENUM ('OPEN', 'RESPONDED', 'RESOLVED', 'REOPENED');

-- CreateEnum
CREATE TYPE "GapEventKind" AS ENUM ('OPENED', 'REPLIED', 'RESOLVED', 'REOPENED');

-- CreateTable
CREATE TABLE "advisor_profile" (
    "user_id" UUID NOT NULL,
    "specialties" TEXT[],
    "capacity" INTEGER NOT NULL DEFAULT 10,
    "phone" TEXT,
    "contact_email" TEXT,
    "last_assigned_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "advisor_profile_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "dossier_counter" (
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "dossier_counter_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "dossier" (
    "id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "company_id" UUID NOT NULL,
    "created_by_id" UUID NOT NULL,
    "product_name" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "structure" TEXT NOT NULL,
    "intended_use" TEXT NOT NULL,
    "registration_type" "RegistrationType" NOT NULL,
    "product_kind" "ProductKind" NOT NULL,
    "catalogue_code" TEXT NOT NULL,
    "green_basis" TEXT NOT NULL,
    "green_grounds" TEXT[],
    "status" "DossierStatus" NOT NULL DEFAULT 'DRAFT',
    "advisor_id" UUID,
    "toc_version" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "submitted_at" TIMESTAMPTZ(3),
    "withdrawn_at" TIMESTAMPTZ(3),
    "withdraw_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "dossier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dossier_item" (
    "id" UUID NOT NULL,
    "dossier_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "title_zh" TEXT NOT NULL,
    "title_en" TEXT NOT NULL,
    "chapter" INTEGER NOT NULL,
    "requirement" "Requirement" NOT NULL,
    "secondary" BOOLEAN NOT NULL DEFAULT false,
    "position" INTEGER NOT NULL,
    "not_applicable_reason" TEXT,
    "review" "ItemReview" NOT NULL DEFAULT 'PENDING',
    "reviewed_at" TIMESTAMPTZ(3),
    "reviewed_by_id" UUID,

    CONSTRAINT "dossier_item_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "document_version" (
    "id" UUID NOT NULL,
    "item_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "media_type" TEXT NOT NULL,
    "original_name" TEXT NOT NULL,
    "uploaded_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "document_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "gap" (
    "id" UUID NOT NULL,
    "dossier_id" UUID NOT NULL,
    "item_id" UUID NOT NULL,
    "author_id" UUID NOT NULL,
    "text" TEXT NOT NULL,
    "severity" "GapSeverity" NOT NULL,
    "state" "GapState" NOT NULL DEFAULT 'OPEN',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "gap_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "gap_event" (
    "id" UUID NOT NULL,
    "gap_id" UUID NOT NULL,
    "actor_id" UUID NOT NULL,
    "kind" "GapEventKind" NOT NULL,
    "text" TEXT,
    "document_version_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "gap_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dossier_message" (
    "id" UUID NOT NULL,
    "dossier_id" UUID NOT NULL,
    "author_id" UUID NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dossier_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dossier_event" (
    "id" UUID NOT NULL,
    "dossier_id" UUID NOT NULL,
    "actor_id" UUID,
    "type" TEXT NOT NULL,
    "from_status" "DossierStatus",
    "to_status" "DossierStatus",
    "details" JSONB NOT NULL DEFAULT '{}',
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dossier_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "advisor_assignment" (
    "id" UUID NOT NULL,
    "dossier_id" UUID NOT NULL,
    "advisor_id" UUID,
    "previous_id" UUID,
    "assigned_by_id" UUID,
    "reason" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "advisor_assignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "submission" (
    "id" UUID NOT NULL,
    "dossier_id" UUID NOT NULL,
    "sequence" INTEGER NOT NULL,
    "submitted_by_id" UUID NOT NULL,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "snapshot" JSONB NOT NULL,

    CONSTRAINT "submission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "dossier_id" UUID,
    "kind" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "link" TEXT,
    "read_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "dossier_number_key" ON "dossier"("number");

-- CreateIndex
CREATE INDEX "dossier_company_id_updated_at_idx" ON "dossier"("company_id", "updated_at");

-- CreateIndex
CREATE INDEX "dossier_advisor_id_status_idx" ON "dossier"("advisor_id", "status");

-- CreateIndex
CREATE INDEX "dossier_status_updated_at_idx" ON "dossier"("status", "updated_at");

-- CreateIndex
CREATE INDEX "dossier_item_dossier_id_position_idx" ON "dossier_item"("dossier_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "dossier_item_dossier_id_code_key" ON "dossier_item"("dossier_id", "code");

-- CreateIndex
CREATE INDEX "document_version_sha256_idx" ON "document_version"("sha256");

-- CreateIndex
CREATE UNIQUE INDEX "document_version_item_id_version_key" ON "document_version"("item_id", "version");

-- CreateIndex
CREATE INDEX "gap_dossier_id_state_idx" ON "gap"("dossier_id", "state");

-- CreateIndex
CREATE INDEX "gap_item_id_idx" ON "gap"("item_id");

-- CreateIndex
CREATE INDEX "gap_event_gap_id_created_at_idx" ON "gap_event"("gap_id", "created_at");

-- CreateIndex
CREATE INDEX "dossier_message_dossier_id_created_at_idx" ON "dossier_message"("dossier_id", "created_at");

-- CreateIndex
CREATE INDEX "dossier_event_dossier_id_at_idx" ON "dossier_event"("dossier_id", "at");

-- CreateIndex
CREATE INDEX "advisor_assignment_dossier_id_at_idx" ON "advisor_assignment"("dossier_id", "at");

-- CreateIndex
CREATE INDEX "advisor_assignment_advisor_id_at_idx" ON "advisor_assignment"("advisor_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "submission_dossier_id_sequence_key" ON "submission"("dossier_id", "sequence");

-- CreateIndex
CREATE INDEX "notification_user_id_read_at_created_at_idx" ON "notification"("user_id", "read_at", "created_at");

-- AddForeignKey
ALTER TABLE "advisor_profile" ADD CONSTRAINT "advisor_profile_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dossier" ADD CONSTRAINT "dossier_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "company"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dossier" ADD CONSTRAINT "dossier_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dossier" ADD CONSTRAINT "dossier_advisor_id_fkey" FOREIGN KEY ("advisor_id") REFERENCES "user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dossier_item" ADD CONSTRAINT "dossier_item_dossier_id_fkey" FOREIGN KEY ("dossier_id") REFERENCES "dossier"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "document_version" ADD CONSTRAINT "document_version_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "dossier_item"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "document_version" ADD CONSTRAINT "document_version_uploaded_by_id_fkey" FOREIGN KEY ("uploaded_by_id") REFERENCES "user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gap" ADD CONSTRAINT "gap_dossier_id_fkey" FOREIGN KEY ("dossier_id") REFERENCES "dossier"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gap" ADD CONSTRAINT "gap_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "dossier_item"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gap" ADD CONSTRAINT "gap_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gap_event" ADD CONSTRAINT "gap_event_gap_id_fkey" FOREIGN KEY ("gap_id") REFERENCES "gap"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gap_event" ADD CONSTRAINT "gap_event_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dossier_message" ADD CONSTRAINT "dossier_message_dossier_id_fkey" FOREIGN KEY ("dossier_id") REFERENCES "dossier"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dossier_message" ADD CONSTRAINT "dossier_message_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dossier_event" ADD CONSTRAINT "dossier_event_dossier_id_fkey" FOREIGN KEY ("dossier_id") REFERENCES "dossier"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "advisor_assignment" ADD CONSTRAINT "advisor_assignment_dossier_id_fkey" FOREIGN KEY ("dossier_id") REFERENCES "dossier"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "submission" ADD CONSTRAINT "submission_dossier_id_fkey" FOREIGN KEY ("dossier_id") REFERENCES "dossier"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification" ADD CONSTRAINT "notification_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
