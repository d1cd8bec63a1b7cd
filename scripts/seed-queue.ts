/**
 * Bulk dossiers for the window queue's benchmarks (QUALITY P1, P2) and for
 * trying the queue at size: N dossiers (default 100,000) of ~N/50 companies
 * (one company user each) and ~40 advisors, in a few set-based statements
 * (generate_series), so 100,000 rows take seconds, not hours.
 *
 *   npx tsx scripts/seed-queue.ts --count 100000 [--companies 2000] [--advisors 40]
 *
 * Reads DATABASE_URL (a migrated database). Adds to what is there: reference
 * numbers come from the per-year counters, so a real dossier created later
 * still gets the next free number.
 *
 * The rows carry what the queue reads, not a full history: statuses spread
 * roughly as a busy year (about a third with a running clock, a few awaiting
 * correction, most finished), stored clocks in every colour (paused ones for
 * 发补), catalogue codes matching their products, open gaps, deferral
 * columns (some overdue). No items, documents or events: the dossier pages
 * of seeded rows are not meant to be opened. Clock dates are derived with
 * calendar arithmetic (7 calendar days ≈ 5 working days), which is close
 * enough for a spread; the queue reads them exactly as stored.
 */
import { pathToFileURL } from "node:url";
import pg from "pg";

export interface SeedQueueOptions {
  count: number;
  companies?: number;
  advisors?: number;
  /** "Today" the clock dates are spread around (Asia/Shanghai date); default: today. */
  today?: string;
  log?: (msg: string) => void;
}

// Products with the catalogue code they belong to (IVD reagents under 40).
const PRODUCTS: [string, string][] = [
  ["上肢康复训练器", "19"], ["医用电子体温计", "07"], ["电子血压计", "07"], ["脉搏血氧仪", "07"], ["心电图机", "07"],
  ["胎心监护仪", "07"], ["红外治疗仪", "09"], ["中频治疗仪", "09"], ["医用冷敷贴", "09"], ["超声骨密度仪", "06"],
  ["数字化X射线摄影系统", "06"], ["一次性使用无菌注射器", "14"], ["输液泵", "14"], ["医用外科口罩", "14"], ["医用敷料", "14"],
  ["呼吸机", "08"], ["医用雾化器", "08"], ["高频电刀", "01"], ["可吸收缝合线", "02"], ["骨科钢板", "13"],
  ["人工晶状体", "16"], ["牙科种植体", "17"], ["康复训练床", "19"], ["针灸针", "20"], ["医学影像处理软件", "21"],
  ["血细胞分析仪", "22"], ["生化分析仪", "22"], ["新型冠状病毒抗原检测试剂盒", "40"], ["C反应蛋白测定试剂盒", "40"], ["血液透析浓缩物", "10"],
];

const COMPANY_WORDS = {
  a: ["瑞康", "华医", "康泰", "普济", "安诺", "博识", "恒生", "泰和", "佳禾", "东丽", "海河", "津沽", "盛世", "汇康", "健安", "明德", "百川", "合益", "鼎盛", "卓越"],
  b: ["医疗器械", "生物科技", "医学科技", "健康科技", "医用材料", "精密仪器", "智能医疗", "康复设备", "诊断技术", "光电医疗"],
  c: ["有限公司", "股份有限公司", "科技有限公司", "实业有限公司", "（天津）有限公司", "集团有限公司", "发展有限公司", "研究院有限公司", "制造有限公司", "技术有限公司", "工程有限公司"],
};
const FAMILY = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"];
const GIVEN = ["晓明", "静", "伟", "芳", "敏", "磊", "洋", "婷", "强", "丽", "军", "杰", "涛", "超", "霞", "鹏", "华", "飞", "琳", "雪"];

const sqlArray = (values: readonly string[]) => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(", ")}]`;

function shanghaiToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Seeds the rows; returns how many dossiers were added and how long it took. */
export async function seedQueue(databaseUrl: string, options: SeedQueueOptions): Promise<{ dossiers: number; ms: number }> {
  const count = options.count;
  const companies = options.companies ?? Math.max(1, Math.round(count / 50));
  const advisors = options.advisors ?? 40;
  const today = options.today ?? shanghaiToday();
  const log = options.log ?? (() => {});
  if (!Number.isInteger(count) || count < 1) throw new Error("count must be a positive whole number");
  const started = Date.now();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    // Deterministic spread for a given count.
    await client.query("SELECT setseed(0.4242)");

    await client.query(
      `CREATE TEMP TABLE seed_company ON COMMIT DROP AS
       SELECT n, gen_random_uuid() AS id, gen_random_uuid() AS user_id,
         '天津' || (${sqlArray(COMPANY_WORDS.a)})[1 + n % ${COMPANY_WORDS.a.length}]
               || (${sqlArray(COMPANY_WORDS.b)})[1 + (n / ${COMPANY_WORDS.a.length}) % ${COMPANY_WORDS.b.length}]
               || (${sqlArray(COMPANY_WORDS.c)})[1 + (n / ${COMPANY_WORDS.a.length * COMPANY_WORDS.b.length}) % ${COMPANY_WORDS.c.length}]
               || CASE WHEN n >= ${COMPANY_WORDS.a.length * COMPANY_WORDS.b.length * COMPANY_WORDS.c.length} THEN '（' || n || '）' ELSE '' END AS name
       FROM generate_series(0, $1::int - 1) n`,
      [companies],
    );
    // 统一社会信用代码-shaped (18 characters, unique); seeded companies never sign in.
    await client.query(`INSERT INTO company (id, name, uscc, updated_at)
      SELECT id, name, '9112011' || upper(substr(md5(id::text), 1, 10)) || '0', now() FROM seed_company`);
    await client.query(`INSERT INTO "user" (id, email, name, role, company_id, is_company_admin, password_hash, email_verified_at, updated_at)
      SELECT user_id, 'seed-' || substr(md5(user_id::text), 1, 12) || '@seed.greenlane.local',
             (${sqlArray(FAMILY)})[1 + n % ${FAMILY.length}] || (${sqlArray(GIVEN)})[1 + (n / ${FAMILY.length}) % ${GIVEN.length}],
             'APPLICANT', id, true, '!seed: no sign-in', now(), now()
      FROM seed_company`);
    log(`seed: ${companies} companies`);

    await client.query(
      `CREATE TEMP TABLE seed_advisor ON COMMIT DROP AS
       SELECT n, gen_random_uuid() AS id,
         (${sqlArray(FAMILY)})[1 + n % ${FAMILY.length}] || (${sqlArray(GIVEN)})[1 + (n * 7 + 3) % ${GIVEN.length}] || '（辅导）' AS name
       FROM generate_series(0, $1::int - 1) n`,
      [advisors],
    );
    await client.query(`INSERT INTO "user" (id, email, name, role, is_company_admin, password_hash, email_verified_at, updated_at)
      SELECT id, 'seed-advisor-' || substr(md5(id::text), 1, 12) || '@seed.greenlane.local', name, 'ADVISOR', false, '!seed: no sign-in', now(), now()
      FROM seed_advisor`);
    const codes = [...new Set(PRODUCTS.map(([, code]) => code))];
    await client.query(`INSERT INTO advisor_profile (user_id, specialties, capacity, updated_at)
      SELECT id, ARRAY[(${sqlArray(codes)})[1 + n % ${codes.length}], (${sqlArray(codes)})[1 + (n + 5) % ${codes.length}]], 5000, now()
      FROM seed_advisor`);
    log(`seed: ${advisors} advisors`);

    // One row per dossier with its random draws, then its status, stage and clock.
    await client.query(
      `CREATE TEMP TABLE seed_dossier ON COMMIT DROP AS
       WITH draws AS (
         SELECT g AS n, random() AS rs, random() AS rc, random() AS ra, random() AS rt, random() AS rp,
                random() AS rg, random() AS rd, random() AS rx, random() AS rr, random() AS rk
         FROM generate_series(1, $1::int) g
       ), status AS (
         SELECT *, CASE
           WHEN rs < 0.03 THEN 'DRAFT' WHEN rs < 0.08 THEN 'SUBMITTED' WHEN rs < 0.11 THEN 'ACCEPTED'
           WHEN rs < 0.14 THEN 'CORRECTION_REQUESTED' WHEN rs < 0.29 THEN 'IN_REVIEW' WHEN rs < 0.35 THEN 'SUPPLEMENT_REQUESTED'
           WHEN rs < 0.39 THEN 'REVIEW_CONCLUDED' WHEN rs < 0.41 THEN 'ISSUING' WHEN rs < 0.81 THEN 'APPROVED'
           WHEN rs < 0.84 THEN 'NOT_ACCEPTED' WHEN rs < 0.90 THEN 'REJECTED' WHEN rs < 0.97 THEN 'WITHDRAWN' ELSE 'TERMINATED' END AS s
         FROM draws
       ), stage AS (
         SELECT *,
           CASE s WHEN 'SUBMITTED' THEN 'acceptance' WHEN 'ACCEPTED' THEN 'handover' WHEN 'IN_REVIEW' THEN 'review'
                  WHEN 'SUPPLEMENT_REQUESTED' THEN 'review' WHEN 'REVIEW_CONCLUDED' THEN 'approval' WHEN 'ISSUING' THEN 'issuance' END AS stage,
           CASE s WHEN 'SUBMITTED' THEN 5 WHEN 'ACCEPTED' THEN 3 WHEN 'IN_REVIEW' THEN 60 WHEN 'SUPPLEMENT_REQUESTED' THEN 60
                  WHEN 'REVIEW_CONCLUDED' THEN 20 WHEN 'ISSUING' THEN 10 END AS lim,
           -- Share of the limit used: about two thirds green, a fifth yellow, the rest red.
           rp * 1.2 AS used
         FROM status
       )
       SELECT n, rc, ra, rt, rg, rd, rx, rk, s, stage, lim,
         CASE WHEN stage IS NULL THEN NULL ELSE floor(used * lim)::int END AS elapsed,
         s = 'SUPPLEMENT_REQUESTED' AS paused,
         CASE WHEN s = 'IN_REVIEW' AND rr < 0.2 THEN 2 WHEN stage IS NOT NULL THEN 1 END AS round
       FROM stage`,
      [count],
    );
    await client.query(
      `ALTER TABLE seed_dossier ADD COLUMN started date, ADD COLUMN created timestamptz, ADD COLUMN y int`,
    );
    // Calendar arithmetic: elapsed working days ≈ 5/7 of the calendar days since the stage began.
    await client.query(
      `UPDATE seed_dossier SET
         started = CASE WHEN stage IS NOT NULL THEN $1::date - ceil(elapsed * 7 / 5.0)::int END,
         created = CASE
           WHEN stage IS NOT NULL THEN ($1::date - ceil(elapsed * 7 / 5.0)::int - 1 - floor(rt * 120)::int)::timestamp AT TIME ZONE 'Asia/Shanghai' + (rx * interval '9 hours')
           WHEN s IN ('DRAFT', 'CORRECTION_REQUESTED') THEN ($1::date - floor(rt * 90)::int)::timestamp AT TIME ZONE 'Asia/Shanghai' + (rx * interval '9 hours')
           ELSE ($1::date - 30 - floor(rt * 1065)::int)::timestamp AT TIME ZONE 'Asia/Shanghai' + (rx * interval '9 hours') END`,
      [today],
    );
    await client.query(`UPDATE seed_dossier SET y = extract(year FROM created AT TIME ZONE 'Asia/Shanghai')::int`);

    const { rowCount } = await client.query(
      `WITH counts AS (SELECT y, count(*)::int AS c FROM seed_dossier GROUP BY y),
       bumped AS (
         INSERT INTO dossier_counter (year, last) SELECT y, c FROM counts
         ON CONFLICT (year) DO UPDATE SET last = dossier_counter.last + EXCLUDED.last
         RETURNING year, last
       ), products AS (
         SELECT i::int - 1 AS i, name, code
         FROM unnest(${sqlArray(PRODUCTS.map(([name]) => name))}, ${sqlArray(PRODUCTS.map(([, code]) => code))}) WITH ORDINALITY AS t(name, code, i)
       )
       INSERT INTO dossier (
         id, number, company_id, created_by_id, product_name, model, structure, intended_use, registration_type, product_kind,
         catalogue_code, green_basis, green_grounds, status, advisor_id, toc_version, submitted_at, created_at, updated_at,
         open_gap_count, next_deferral_due, overdue_deferrals, last_activity_at,
         stage, stage_round, stage_limit_key, stage_started_at, stage_limit, clock_paused, clock_elapsed,
         clock_due_on, clock_yellow_on, clock_red_on, clock_paused_colour)
       SELECT
         gen_random_uuid(),
         'GL-' || d.y || '-' || lpad((b.last - c.c + row_number() OVER (PARTITION BY d.y ORDER BY d.created, d.n))::text, 6, '0'),
         co.id, co.user_id,
         p.name, 'GL-' || (100 + d.n % 900), '由主机和附件组成', '用于临床辅助',
         (CASE WHEN d.rk < 0.6 THEN 'FIRST' WHEN d.rk < 0.85 THEN 'CHANGE' ELSE 'RENEWAL' END)::"RegistrationType",
         (CASE WHEN p.code = '40' THEN 'IVD' ELSE 'DEVICE' END)::"ProductKind",
         p.code, '东丽区聚集区企业', ARRAY['clusterCompany'],
         (CASE d.s WHEN 'ISSUING' THEN 'APPROVED' ELSE d.s END)::"DossierStatus",
         CASE WHEN (d.n * 37) % 100 < CASE WHEN d.stage IS NULL THEN 2 ELSE 8 END THEN NULL ELSE ad.id END,
         '2021-121',
         CASE WHEN d.s = 'DRAFT' THEN NULL ELSE d.created + (d.rx * interval '2 days') END,
         d.created, d.created,
         CASE WHEN d.stage IS NOT NULL OR d.s = 'CORRECTION_REQUESTED' THEN floor(d.rg ^ 3 * 8)::int ELSE 0 END,
         CASE WHEN d.stage IS NOT NULL AND d.rd < 0.12 THEN $1::date + floor(d.rd / 0.12 * 40)::int - 10 END,
         CASE WHEN d.stage IS NOT NULL AND d.rd < 0.03 THEN 1 + (d.n % 2) WHEN d.s = 'TERMINATED' AND d.rd < 0.3 THEN 1 ELSE 0 END,
         d.created + (now() - d.created) * d.rx,
         d.stage, d.round,
         CASE WHEN d.round = 2 THEN 'reviewAfterSupplement' ELSE d.stage END,
         CASE WHEN d.stage IS NOT NULL THEN d.started::timestamp AT TIME ZONE 'Asia/Shanghai' + interval '10 hours' END,
         d.lim, d.paused, d.elapsed,
         -- Running: the day the limit is reached; paused: as if resumed tomorrow.
         CASE WHEN d.stage IS NULL THEN NULL
              WHEN d.paused THEN $1::date + ceil(greatest(d.lim - d.elapsed, 0) * 7 / 5.0)::int + 1
              ELSE d.started + ceil(d.lim * 7 / 5.0)::int END,
         CASE WHEN d.stage IS NOT NULL AND NOT d.paused THEN d.started + ceil(ceil(0.8 * d.lim) * 7 / 5.0)::int END,
         CASE WHEN d.stage IS NOT NULL AND NOT d.paused THEN d.started + ceil(d.lim * 7 / 5.0)::int + 1 END,
         CASE WHEN d.paused THEN CASE WHEN d.elapsed > d.lim THEN 'red' WHEN d.elapsed >= ceil(0.8 * d.lim) THEN 'yellow' ELSE 'green' END END
       FROM seed_dossier d
       JOIN counts c ON c.y = d.y
       JOIN bumped b ON b.year = d.y
       JOIN seed_company co ON co.n = floor(d.rc ^ 2 * $2::int)::int
       JOIN seed_advisor ad ON ad.n = floor(d.ra * $3::int)::int
       JOIN products p ON p.i = (d.n * 7 + floor(d.rk * 3)::int) % ${PRODUCTS.length}`,
      [today, companies, advisors],
    );
    await client.query("COMMIT");
    log(`seed: ${rowCount} dossiers in ${Date.now() - started} ms; analysing`);
    // Fresh statistics and visibility map: the planner sees the real spread, index-only scans work.
    await client.query("VACUUM ANALYZE dossier");
    await client.query('VACUUM ANALYZE company, "user", advisor_profile');
    return { dossiers: rowCount ?? 0, ms: Date.now() - started };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

function argValue(args: string[], name: string): number | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const n = Number(args[at + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} needs a positive whole number`);
  return n;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error("DATABASE_URL is not set (a migrated database).");
    process.exit(1);
  }
  seedQueue(databaseUrl, {
    count: argValue(args, "--count") ?? 100_000,
    companies: argValue(args, "--companies"),
    advisors: argValue(args, "--advisors"),
    log: (msg) => console.log(msg),
  }).then(
    ({ dossiers, ms }) => console.log(`Seeded ${dossiers} dossiers in ${(ms / 1000).toFixed(1)} s.`),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
