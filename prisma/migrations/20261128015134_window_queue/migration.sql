-- CreateEnum
CREATE TYPE "CertificateKind" AS ENUM ('REGISTRATION', 'FILING');

-- CreateEnum
CREATE TYPE "CertificateSource" AS ENUM ('GREEN_CHANNEL', 'RECORDED');

-- CreateEnum
CREATE TYPE "CertificateState" AS ENUM ('VALID', 'UNVERIFIED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "IndicatorSource" AS ENUM ('CERTIFICATES', 'MANUAL');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "LetterKind" ADD VALUE 'CORRECTION_NOTICE';
ALTER TYPE "LetterKind" ADD VALUE 'NOT_ACCEPTED_NOTICE';
ALTER TYPE "LetterKind" ADD VALUE 'SUPPLEMENT_NOTICE';

-- AlterTable
ALTER TABLE "dossier" ADD COLUMN     "advisor_name" TEXT,
ADD COLUMN     "clock_due_on" DATE,
ADD COLUMN     "clock_elapsed" INTEGER,
ADD COLUMN     "clock_paused" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "clock_paused_colour" TEXT,
ADD COLUMN     "clock_red_on" DATE,
ADD COLUMN     "clock_yellow_on" DATE,
ADD COLUMN     "company_name" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "last_activity_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "next_deferral_due" DATE,
ADD COLUMN     "open_gap_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "overdue_deferrals" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "stage" TEXT,
ADD COLUMN     "stage_limit" INTEGER,
ADD COLUMN     "stage_limit_key" TEXT,
ADD COLUMN     "stage_round" INTEGER,
ADD COLUMN     "stage_started_at" TIMESTAMPTZ(3),
ADD COLUMN     "supplement_due_on" DATE;

-- CreateTable
CREATE TABLE "clock_policy" (
    "id" UUID NOT NULL,
    "limits" JSONB NOT NULL,
    "basis" TEXT NOT NULL DEFAULT 'legal',
    "yellow_at" DOUBLE PRECISION NOT NULL,
    "created_by_id" UUID,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "clock_policy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "certificate_serial" (
    "year" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "certificate_serial_pkey" PRIMARY KEY ("year","code")
);

-- CreateTable
CREATE TABLE "certificate" (
    "id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "kind" "CertificateKind" NOT NULL,
    "device_class" INTEGER NOT NULL,
    "source" "CertificateSource" NOT NULL,
    "company_id" UUID NOT NULL,
    "dossier_id" UUID,
    "registrant_name" TEXT NOT NULL,
    "registrant_address" TEXT NOT NULL,
    "manufacturing_address" TEXT NOT NULL,
    "product_name" TEXT NOT NULL,
    "model_spec" TEXT NOT NULL,
    "structure" TEXT NOT NULL,
    "intended_use" TEXT NOT NULL,
    "attachment" TEXT NOT NULL DEFAULT '',
    "other_content" TEXT NOT NULL DEFAULT '',
    "remarks" TEXT NOT NULL DEFAULT '',
    "authority" TEXT NOT NULL,
    "approval_date" DATE NOT NULL,
    "valid_until" DATE,
    "state" "CertificateState" NOT NULL,
    "cancelled_at" TIMESTAMPTZ(3),
    "cancel_reason" TEXT,
    "evidence_sha256" TEXT,
    "evidence_name" TEXT,
    "evidence_media_type" TEXT,
    "evidence_size" BIGINT,
    "recorded_by_id" UUID NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "verified_by_id" UUID,
    "verified_at" TIMESTAMPTZ(3),

    CONSTRAINT "certificate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "indicator" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "group_name" TEXT NOT NULL,
    "subgroup" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "name_en" TEXT NOT NULL DEFAULT '',
    "comparator" TEXT NOT NULL DEFAULT '>=',
    "target" DECIMAL(14,2) NOT NULL,
    "unit" TEXT NOT NULL,
    "period_start" DATE NOT NULL,
    "period_end" DATE NOT NULL,
    "source" "IndicatorSource" NOT NULL,
    "position" INTEGER NOT NULL,
    "updated_by_id" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "indicator_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "indicator_value" (
    "id" UUID NOT NULL,
    "indicator_id" UUID NOT NULL,
    "value" DECIMAL(14,2) NOT NULL,
    "as_of" DATE NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "evidence_sha256" TEXT,
    "evidence_name" TEXT,
    "evidence_media_type" TEXT,
    "evidence_size" BIGINT,
    "entered_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "indicator_value_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "clock_policy_created_at_idx" ON "clock_policy"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "certificate_number_key" ON "certificate"("number");

-- CreateIndex
CREATE UNIQUE INDEX "certificate_dossier_id_key" ON "certificate"("dossier_id");

-- CreateIndex
CREATE INDEX "certificate_company_id_idx" ON "certificate"("company_id");

-- CreateIndex
CREATE INDEX "certificate_state_approval_date_idx" ON "certificate"("state", "approval_date");

-- CreateIndex
CREATE UNIQUE INDEX "indicator_key_key" ON "indicator"("key");

-- CreateIndex
CREATE INDEX "indicator_value_indicator_id_created_at_idx" ON "indicator_value"("indicator_id", "created_at");

-- AddForeignKey
ALTER TABLE "certificate" ADD CONSTRAINT "certificate_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "company"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certificate" ADD CONSTRAINT "certificate_dossier_id_fkey" FOREIGN KEY ("dossier_id") REFERENCES "dossier"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "indicator_value" ADD CONSTRAINT "indicator_value_indicator_id_fkey" FOREIGN KEY ("indicator_id") REFERENCES "indicator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------
-- The queue's copied columns, kept by triggers so that every code path (web,
-- worker, sweeps, seeds) keeps them right and the queue can sort and filter on
-- indexes instead of joining and counting per row.
-- ---------------------------------------------------------------------------

-- Company and advisor names.
CREATE FUNCTION dossier_copy_names() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.company_id IS DISTINCT FROM OLD.company_id THEN
    NEW.company_name := (SELECT name FROM company WHERE id = NEW.company_id);
  END IF;
  IF TG_OP = 'INSERT' OR NEW.advisor_id IS DISTINCT FROM OLD.advisor_id THEN
    NEW.advisor_name := (SELECT name FROM "user" WHERE id = NEW.advisor_id);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER dossier_copy_names BEFORE INSERT OR UPDATE OF company_id, advisor_id ON dossier
  FOR EACH ROW EXECUTE FUNCTION dossier_copy_names();

CREATE FUNCTION company_name_to_dossiers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE dossier SET company_name = NEW.name WHERE company_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER company_name_to_dossiers AFTER UPDATE OF name ON company
  FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name) EXECUTE FUNCTION company_name_to_dossiers();

CREATE FUNCTION advisor_name_to_dossiers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE dossier SET advisor_name = NEW.name WHERE advisor_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER advisor_name_to_dossiers AFTER UPDATE OF name ON "user"
  FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name) EXECUTE FUNCTION advisor_name_to_dossiers();

-- Open gaps (OPEN, RESPONDED, REOPENED).
CREATE FUNCTION gap_count_to_dossier() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d uuid := COALESCE(NEW.dossier_id, OLD.dossier_id);
BEGIN
  UPDATE dossier SET open_gap_count =
    (SELECT count(*) FROM gap WHERE dossier_id = d AND state IN ('OPEN', 'RESPONDED', 'REOPENED'))
  WHERE id = d;
  RETURN NULL;
END $$;
CREATE TRIGGER gap_count_to_dossier AFTER INSERT OR DELETE OR UPDATE OF state ON gap
  FOR EACH ROW EXECUTE FUNCTION gap_count_to_dossier();

-- Awaited deferrals (PENDING, EXTENDED, OVERDUE): the earliest due date; OVERDUE or BREACHED: how many.
CREATE FUNCTION deferral_columns_to_dossier() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d uuid := COALESCE(NEW.dossier_id, OLD.dossier_id);
BEGIN
  UPDATE dossier SET
    next_deferral_due = (SELECT min(due_date) FROM deferral WHERE dossier_id = d AND state IN ('PENDING', 'EXTENDED', 'OVERDUE')),
    overdue_deferrals = (SELECT count(*) FROM deferral WHERE dossier_id = d AND state IN ('OVERDUE', 'BREACHED'))
  WHERE id = d;
  RETURN NULL;
END $$;
CREATE TRIGGER deferral_columns_to_dossier AFTER INSERT OR DELETE OR UPDATE OF state, due_date ON deferral
  FOR EACH ROW EXECUTE FUNCTION deferral_columns_to_dossier();

-- Last activity: events, gaps' events, messages, documents.
CREATE FUNCTION activity_to_dossier() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d uuid; t timestamptz;
BEGIN
  IF TG_TABLE_NAME = 'dossier_event' THEN d := NEW.dossier_id; t := NEW.at;
  ELSIF TG_TABLE_NAME = 'dossier_message' THEN d := NEW.dossier_id; t := NEW.created_at;
  ELSIF TG_TABLE_NAME = 'gap_event' THEN d := (SELECT dossier_id FROM gap WHERE id = NEW.gap_id); t := NEW.created_at;
  ELSE d := (SELECT dossier_id FROM dossier_item WHERE id = NEW.item_id); t := NEW.created_at;
  END IF;
  UPDATE dossier SET last_activity_at = t WHERE id = d AND last_activity_at < t;
  RETURN NULL;
END $$;
CREATE TRIGGER activity_to_dossier AFTER INSERT ON dossier_event FOR EACH ROW EXECUTE FUNCTION activity_to_dossier();
CREATE TRIGGER activity_to_dossier AFTER INSERT ON dossier_message FOR EACH ROW EXECUTE FUNCTION activity_to_dossier();
CREATE TRIGGER activity_to_dossier AFTER INSERT ON gap_event FOR EACH ROW EXECUTE FUNCTION activity_to_dossier();
CREATE TRIGGER activity_to_dossier AFTER INSERT ON document_version FOR EACH ROW EXECUTE FUNCTION activity_to_dossier();

-- Existing rows.
UPDATE dossier d SET
  company_name = c.name,
  advisor_name = (SELECT name FROM "user" WHERE id = d.advisor_id),
  open_gap_count = (SELECT count(*) FROM gap WHERE dossier_id = d.id AND state IN ('OPEN', 'RESPONDED', 'REOPENED')),
  next_deferral_due = (SELECT min(due_date) FROM deferral WHERE dossier_id = d.id AND state IN ('PENDING', 'EXTENDED', 'OVERDUE')),
  overdue_deferrals = (SELECT count(*) FROM deferral WHERE dossier_id = d.id AND state IN ('OVERDUE', 'BREACHED')),
  last_activity_at = GREATEST(d.updated_at, COALESCE((SELECT max(at) FROM dossier_event WHERE dossier_id = d.id), d.updated_at))
FROM company c WHERE c.id = d.company_id;

-- The clock policy in force by default (DOMAIN.md Art. 99 limits; green-channel review targets 30/20).
INSERT INTO clock_policy (id, limits, basis, yellow_at, reason) VALUES (
  '00000000-0000-4000-8000-000000000c10',
  '{"acceptance":{"legal":5},"handover":{"legal":3},"review":{"legal":60,"target":30},"reviewAfterSupplement":{"legal":60,"target":20},"approval":{"legal":20},"issuance":{"legal":10}}',
  'legal', 0.8, 'Order 47 Art. 99 limits (default)');

-- 表1 东丽区知识产权赋能医疗器械产业聚集区量化指标 (seeds/000_07035ab29f5ed8a1.txt), period 2020.9–2022.6.
INSERT INTO indicator (id, key, group_name, subgroup, name, name_en, comparator, target, unit, period_start, period_end, source, position, updated_at) VALUES
  (gen_random_uuid(), 'patent-navigation', '知识产权指标', '医疗器械产业专利导航分析', '分析报告', 'Patent navigation analysis report for the device industry', '=', 1, '份', '2020-09-01', '2022-06-30', 'MANUAL', 1, now()),
  (gen_random_uuid(), 'innovation-alliance', '知识产权指标', '组建产业创新联盟', '在全市、全区范围内组建知识产权、科技创新和市场发展的创新联盟', 'Industry innovation alliance (IP, technology, market) city- and district-wide', '=', 1, '个', '2020-09-01', '2022-06-30', 'MANUAL', 2, now()),
  (gen_random_uuid(), 'ip-custody', '知识产权指标', '知识产权托管', '知识产权托管', 'Companies with IP custody services', '>=', 50, '家', '2020-09-01', '2022-06-30', 'MANUAL', 3, now()),
  (gen_random_uuid(), 'ip-strategy', '知识产权指标', '知识产权战略布局', '知识产权战略布局', 'Companies with an IP strategy', '=', 15, '家', '2020-09-01', '2022-06-30', 'MANUAL', 4, now()),
  (gen_random_uuid(), 'ip-standard', '知识产权指标', '知识产权贯标认证', '知识产权贯标认证', 'Companies certified to the IP management standard', '=', 15, '家', '2020-09-01', '2022-06-30', 'MANUAL', 5, now()),
  (gen_random_uuid(), 'patent-awards', '知识产权指标', '入选中国专利、天津市专利相关奖项', '入选中国专利、天津市专利相关奖项', 'Companies winning China or Tianjin patent awards', '=', 2, '家', '2020-09-01', '2022-06-30', 'MANUAL', 6, now()),
  (gen_random_uuid(), 'patent-cluster', '知识产权指标', '产业专利集群', '产业专利集群', 'Industry patent cluster', '=', 1, '个', '2020-09-01', '2022-06-30', 'MANUAL', 7, now()),
  (gen_random_uuid(), 'patent-applications', '知识产权指标', '专利数量', '专利申请量（发明占30%以上）', 'Patent applications (over 30 % inventions)', '>=', 100, '件', '2020-09-01', '2022-06-30', 'MANUAL', 8, now()),
  (gen_random_uuid(), 'innovation-platforms', '技术平台创新指标', '双创平台、工程中心、技术中心、重点实验室', '市级以上双创平台', 'Innovation and entrepreneurship platforms (city level or above)', '=', 2, '个', '2020-09-01', '2022-06-30', 'MANUAL', 9, now()),
  (gen_random_uuid(), 'engineering-centres', '技术平台创新指标', '双创平台、工程中心、技术中心、重点实验室', '市级工程中心、技术中心及重点实验室', 'City engineering centres, technology centres and key laboratories', '=', 2, '家', '2020-09-01', '2022-06-30', 'MANUAL', 10, now()),
  (gen_random_uuid(), 'companies', '产业聚集指标', '创新主体聚集', '企业数', 'Companies in the cluster', '>=', 100, '家', '2020-09-01', '2022-06-30', 'MANUAL', 11, now()),
  (gen_random_uuid(), 'national-high-tech', '产业聚集指标', '创新主体聚集', '国家级高新技术企业数', 'National high-tech enterprises', '>=', 2, '家', '2020-09-01', '2022-06-30', 'MANUAL', 12, now()),
  (gen_random_uuid(), 'eaglets', '产业聚集指标', '创新主体聚集', '雏鹰企业', '"Eaglet" enterprises', '>=', 15, '家', '2020-09-01', '2022-06-30', 'MANUAL', 13, now()),
  (gen_random_uuid(), 'leaders', '产业聚集指标', '创新主体聚集', '领军企业', 'Leading enterprises', '>=', 2, '家', '2020-09-01', '2022-06-30', 'MANUAL', 14, now()),
  (gen_random_uuid(), 'listing-reserve', '产业聚集指标', '创新主体聚集', '上市后备企业', 'Listing reserve enterprises', '>=', 1, '家', '2020-09-01', '2022-06-30', 'MANUAL', 15, now()),
  (gen_random_uuid(), 'specialised', '产业聚集指标', '创新主体聚集', '专精特新企业', '"Specialised and sophisticated" SMEs', '=', 1, '家', '2020-09-01', '2022-06-30', 'MANUAL', 16, now()),
  (gen_random_uuid(), 'talent', '产业聚集指标', '人才聚集及产业氛围', '引进高层次人才（顶尖、领军、青年后备人才、高技能人才、博士、硕士等）', 'High-level talent recruited', '>=', 20, '人', '2020-09-01', '2022-06-30', 'MANUAL', 17, now()),
  (gen_random_uuid(), 'events', '产业聚集指标', '人才聚集及产业氛围', '知识产权或产业相关活动数量（科技成果转化、技术对接、项目路演、培训等）', 'IP or industry events (transfer, matchmaking, roadshows, training)', '>=', 10, '次', '2020-09-01', '2022-06-30', 'MANUAL', 18, now()),
  (gen_random_uuid(), 'investment', '经济指标', '吸引投资', '吸引投资金额', 'Investment attracted', '>=', 5000, '万元', '2020-09-01', '2022-06-30', 'MANUAL', 19, now()),
  (gen_random_uuid(), 'revenue-growth', '经济指标', '经济效益', '规上企业营业收入或产值增幅', 'Revenue or output growth of large enterprises', '>=', 5, '%', '2020-09-01', '2022-06-30', 'MANUAL', 20, now()),
  (gen_random_uuid(), 'device-certificates', '产业特殊指标', '医疗器械证（含一、二、三类）', '医疗器械证（含一、二、三类）', 'Medical device certificates (Class I, II and III)', '=', 10, '项', '2020-09-01', '2022-06-30', 'CERTIFICATES', 21, now());
