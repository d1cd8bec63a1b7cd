/**
 * `npm test`: the whole suite, in order of speed — typecheck, lint, unit,
 * build, integration (real PostgreSQL, Redis, SMTP), browser (Playwright in
 * Chromium). Stops at the first failing step and ends with one summary line.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

const REPORTS = "test-results/reports";
rmSync(REPORTS, { recursive: true, force: true });
mkdirSync(REPORTS, { recursive: true });

interface Step {
  name: string;
  cmd: string;
  args: string[];
  env?: Record<string, string>;
  /** A JSON report to count tests from. */
  report?: { file: string; kind: "vitest" | "playwright" };
}

const vitest = (project: string): Step => ({
  name: project,
  cmd: "npx",
  args: ["vitest", "run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${REPORTS}/${project}.json`],
  report: { file: `${REPORTS}/${project}.json`, kind: "vitest" },
});

const steps: Step[] = [
  { name: "typecheck", cmd: "npx", args: ["tsc", "--noEmit"] },
  { name: "lint", cmd: "npx", args: ["eslint", "--max-warnings", "0", "."] },
  vitest("unit"),
  { name: "build", cmd: "npx", args: ["remix", "vite:build"] },
  vitest("integration"),
  {
    name: "browser",
    cmd: "npx",
    args: ["tsx", "scripts/run-e2e.ts", "--reporter=list,json"],
    env: { PLAYWRIGHT_JSON_OUTPUT_FILE: `${REPORTS}/browser.json` },
    report: { file: `${REPORTS}/browser.json`, kind: "playwright" },
  },
];

const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
let stepsFailed = 0;

function count(report: NonNullable<Step["report"]>): { passed: number; failed: number } {
  if (!existsSync(report.file)) return { passed: 0, failed: 0 };
  const json = JSON.parse(readFileSync(report.file, "utf8"));
  if (report.kind === "vitest") return { passed: json.numPassedTests ?? 0, failed: json.numFailedTests ?? 0 };
  return { passed: json.stats?.expected ?? 0, failed: (json.stats?.unexpected ?? 0) + (json.stats?.flaky ?? 0) };
}
for (const step of steps) {
  if (only.length > 0 && !only.includes(step.name)) continue;
  const started = Date.now();
  console.log(`\n▶ ${step.name}: ${step.cmd} ${step.args.join(" ")}`);
  const result = spawnSync(step.cmd, step.args, { stdio: "inherit", env: { ...process.env, ...step.env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (step.report) {
    const c = count(step.report);
    passed += c.passed;
    failed += c.failed;
    console.log(`  ${step.name}: ${c.passed} tests passed, ${c.failed} failed`);
  }
  if (result.status === 0) {
    console.log(`✔ ${step.name} (${seconds} s)`);
  } else {
    stepsFailed++;
    // A step that failed without a failing test (a type error, a crash) still fails the run.
    if (!step.report || failed === 0) failed++;
    console.log(`✘ ${step.name} failed (${seconds} s)`);
    break;
  }
}
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(stepsFailed > 0 || failed > 0 ? 1 : 0);
