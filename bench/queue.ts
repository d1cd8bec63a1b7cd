import { availableParallelism } from "node:os";
import autocannon from "autocannon";
import { now } from "#app/.server/clock.ts";
import { prisma, Prisma } from "#app/.server/db.ts";
import { shanghaiDate } from "#app/modules/calendar/working-days.ts";
import { queuePage, queuePageSql } from "#app/modules/queue/queue-query.server.ts";
import { parseQueueQuery, QUEUE_PAGE_SIZE, type TQueueQuery } from "#app/modules/queue/queue.schema.ts";
import { seedQueue } from "#scripts/seed-queue.ts";
import { signedInClient } from "#scripts/test/harness.ts";
import { percentile, windowUser, type BenchEnv, type Figure } from "./reminders.ts";
import { startWebProcess, type WebProcess } from "./web-process.ts";

/*
 * The window queue's benchmarks (QUALITY P1, P2) on a database seeded with
 * scripts/seed-queue.ts (100,000 dossiers by default), against the built app
 * in a process of its own (server.ts, NODE_ENV=production), signed
 * in as the bench's one window user through a session row (the tests' helper).
 *
 * P1: autocannon, no pipelining, 32 connections, `durationS` each: requests/s
 *     of the queue page with a filter and a sort (50 rows) ÷ requests/s of a
 *     near-empty signed-in page (/notifications of a user with none), and the
 *     queue page's p99.
 * P2: the default view's keyset cursor is walked to the last page (in
 *     process, with the loader's own query function); then the first and the
 *     deepest page are fetched over HTTP alternately, `samples` times each:
 *     median deepest ÷ median first. EXPLAIN (ANALYZE) of both pages shows the
 *     plan: an index scan in order, no Sort node, no Seq Scan.
 */

export interface QueueBenchOptions {
  dossiers: number;
  durationS: number;
  connections: number;
  samples: number;
  p1: boolean;
  p2: boolean;
}

const EMPTY_PAGE = "/notifications";
const QUEUE_PAGE = "/window?stage=review&sort=due";

const rowCount = (html: string) => (html.match(/data-dossier="/g) ?? []).length;

async function get(base: string, pathname: string, cookie: string): Promise<{ status: number; html: string; ms: number }> {
  const started = performance.now();
  const response = await fetch(base + pathname, { headers: { cookie }, redirect: "manual" });
  const html = await response.text();
  return { status: response.status, html, ms: performance.now() - started };
}

async function load(server: WebProcess, pathname: string, cookie: string, connections: number, durationS: number) {
  const cpuBefore = server.cpuMs();
  const result = await autocannon({ url: server.url + pathname, connections, pipelining: 1, duration: durationS, headers: { cookie } });
  const cpuAfter = server.cpuMs();
  return {
    /** The web process's CPU time per answered request: the page's own cost, whatever else the machine runs. */
    cpuPerRequest: cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / Math.max(1, result["2xx"] + result.non2xx),
    rps: result["2xx"] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    bytes: Math.round(result.throughput.average / Math.max(1, result.requests.average)),
  };
}

function query(qs: string): TQueueQuery {
  const parsed = parseQueueQuery(new URLSearchParams(qs));
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  return parsed.value;
}

/** EXPLAIN (ANALYZE) of one queue page: the plan lines, whether it sorts or scans the table, its execution time. */
async function explain(q: TQueueQuery, today: string) {
  const rows = await prisma.$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`EXPLAIN (ANALYZE, BUFFERS) ${queuePageSql(q, today, QUEUE_PAGE_SIZE + 1, q.cursor)}`);
  const lines = rows.map((r) => r["QUERY PLAN"]);
  const plan = lines.join("\n");
  const nodes = lines.filter((l) => /^\s*(->\s+)?[A-Z][A-Za-z ]+(?: using \S+)?(?: on \S+)?(?: \w+)?\s+\(cost=/.test(l)).map((l) => l.replace(/\s+\(cost=.*$/, "").replace(/^\s*->\s+/, "").trim());
  return {
    lines,
    nodes,
    sorts: /\bSort\b/.test(plan),
    seqScan: /Seq Scan/.test(plan),
    ms: Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN),
  };
}

export async function benchQueue(env: BenchEnv, opts: QueueBenchOptions): Promise<{ figures: Figure[]; details: Record<string, string | number> }> {
  const figures: Figure[] = [];
  const details: Record<string, string | number> = {};
  env.log(`P1/P2: seeding ${opts.dossiers.toLocaleString("en")} dossiers`);
  const seeded = await seedQueue(env.databaseUrl, { count: opts.dossiers });
  env.log(`P1/P2: seeded in ${(seeded.ms / 1000).toFixed(1)} s`);
  details["P1/P2 dossiers"] = seeded.dossiers;

  // The bench's one window user (no notifications: the near-empty page), signed in as the tests do.
  const cookie = (await signedInClient("http://127.0.0.1", await windowUser())).cookieHeader();
  const server = await startWebProcess(env);
  try {
    const base = server.url;
    // Warm up (JIT, pools, holiday calendar, dashboard cache) and check what is measured.
    for (const pathname of [EMPTY_PAGE, QUEUE_PAGE, "/window"]) {
      for (let i = 0; i < 20; i++) {
        const r = await get(base, pathname, cookie);
        if (r.status !== 200) throw new Error(`${pathname} answered ${r.status}`);
      }
    }
    const sample = await get(base, QUEUE_PAGE, cookie);
    if (rowCount(sample.html) !== QUEUE_PAGE_SIZE) throw new Error(`${QUEUE_PAGE} shows ${rowCount(sample.html)} rows, expected ${QUEUE_PAGE_SIZE}`);

    if (opts.p1) {
      env.log(`P1: ${EMPTY_PAGE}, ${opts.connections} connections, ${opts.durationS} s`);
      const empty = await load(server, EMPTY_PAGE, cookie, opts.connections, opts.durationS);
      env.log(`P1: ${QUEUE_PAGE}, ${opts.connections} connections, ${opts.durationS} s`);
      const queue = await load(server, QUEUE_PAGE, cookie, opts.connections, opts.durationS);
      const ratio = queue.rps / empty.rps;
      figures.push(
        {
          id: "P1",
          what: `queue page req/s ÷ empty page req/s (${opts.dossiers.toLocaleString("en")} dossiers, ${opts.connections} conn.)`,
          measured: `${ratio.toFixed(2)} (${queue.rps.toFixed(0)} / ${empty.rps.toFixed(0)} req/s)`,
          target: "≥ 0.5",
          met: ratio >= 0.5,
        },
        { id: "P1", what: "queue page p99 latency", measured: `${queue.p99} ms`, target: "≤ 150 ms", met: queue.p99 <= 150 },
      );
      const cpu = (r: typeof empty) => (r.cpuPerRequest === null ? "" : `, web process CPU ${r.cpuPerRequest.toFixed(1)} ms/request`);
      details["P1 empty page"] = `${EMPTY_PAGE}: ${empty.rps.toFixed(0)} req/s, p50 ${empty.p50} ms, p99 ${empty.p99} ms, ~${empty.bytes} bytes${cpu(empty)}, non-2xx ${empty.non2xx}, errors ${empty.errors}`;
      details["P1 queue page"] = `${QUEUE_PAGE}: ${queue.rps.toFixed(0)} req/s, p50 ${queue.p50} ms, p99 ${queue.p99} ms, ~${queue.bytes} bytes${cpu(queue)}, non-2xx ${queue.non2xx}, errors ${queue.errors}`;
      if (empty.cpuPerRequest !== null && queue.cpuPerRequest !== null) {
        details["P1 CPU ratio"] = `${(empty.cpuPerRequest / queue.cpuPerRequest).toFixed(2)} (empty ÷ queue web-process CPU per request; the req/s ratio also carries autocannon's and PostgreSQL's share of this machine's ${availableParallelism()} cores)`;
      }
    }

    if (opts.p2) {
      const today = shanghaiDate(now());
      // Walk the default view's keyset cursor to its last page.
      const started = performance.now();
      let page = await queuePage(query(""), today);
      let pages = 1;
      let deepest = "";
      while (page.next) {
        deepest = page.next;
        page = await queuePage(query(`after=${deepest}`), today);
        pages++;
      }
      env.log(`P2: default view walked: ${pages} pages in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      if (!deepest) throw new Error("the default view has a single page: seed more dossiers");
      const deepPath = `/window?after=${deepest}`;
      const last = await get(base, deepPath, cookie);
      if (last.status !== 200 || rowCount(last.html) === 0 || last.html.includes('rel="next"')) throw new Error("the deepest page is not the last page");

      for (let i = 0; i < 20; i++) await Promise.all([get(base, "/window", cookie), get(base, deepPath, cookie)]);
      const first: number[] = [];
      const deep: number[] = [];
      // Alternately, one at a time, so both see the same server state.
      for (let i = 0; i < opts.samples; i++) {
        first.push((await get(base, "/window", cookie)).ms);
        deep.push((await get(base, deepPath, cookie)).ms);
      }
      const ratio = percentile(deep, 50) / percentile(first, 50);
      const firstPlan = await explain(query(""), today);
      const deepPlan = await explain(query(`after=${deepest}`), today);
      const clean = !firstPlan.sorts && !firstPlan.seqScan && !deepPlan.sorts && !deepPlan.seqScan;
      figures.push(
        {
          id: "P2",
          what: `deepest page ÷ first page latency (default view, page ${pages} of ${pages})`,
          measured: `${ratio.toFixed(2)} (median ${percentile(deep, 50).toFixed(1)} / ${percentile(first, 50).toFixed(1)} ms)`,
          target: "≤ 1.5",
          met: ratio <= 1.5,
        },
        {
          id: "P2",
          what: "EXPLAIN of the first and deepest page",
          measured: `${deepPlan.nodes.join(" → ")}${clean ? "; no Sort, no Seq Scan" : `; Sort: ${firstPlan.sorts || deepPlan.sorts}, Seq Scan: ${firstPlan.seqScan || deepPlan.seqScan}`}`,
          target: "no Sort, no Seq Scan",
          met: clean,
        },
      );
      details["P2 first page"] = `/window: p50 ${percentile(first, 50).toFixed(1)} ms, p90 ${percentile(first, 90).toFixed(1)} ms (${opts.samples} sequential requests); SQL ${firstPlan.ms} ms: ${firstPlan.nodes.join(" → ")}`;
      details["P2 deepest page"] = `page ${pages}: p50 ${percentile(deep, 50).toFixed(1)} ms, p90 ${percentile(deep, 90).toFixed(1)} ms; SQL ${deepPlan.ms} ms: ${deepPlan.nodes.join(" → ")}`;
      env.log("P2: EXPLAIN (ANALYZE) of the deepest page:");
      for (const line of deepPlan.lines) env.log(`    ${line}`);
    }
  } finally {
    await server.stop();
  }
  return { figures, details };
}
