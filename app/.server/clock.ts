import { readFileSync, statSync, writeFileSync } from "node:fs";

/*
 * The domain clock: deadlines, reminders, overdue and breach checks read the
 * time here, never from `new Date()` directly, so tests move time instead of
 * sleeping (issue 4). Sessions and audit timestamps stay on the real clock.
 *
 * Without CLOCK_FILE this is the system clock. With it (tests and demos only)
 * the file holds `{"offsetMs": n}` and every process sharing the file — web and
 * worker — sees the same shifted time. The file is re-read when it changes.
 */

let cache: { path: string; mtimeMs: number; offsetMs: number } | undefined;

function clockFile(): string | undefined {
  const path = process.env.CLOCK_FILE;
  return path ? path : undefined;
}

/** The current offset in milliseconds (0 without a clock file or when it is missing or unreadable). */
export function clockOffsetMs(): number {
  const path = clockFile();
  if (!path) return 0;
  try {
    const { mtimeMs } = statSync(path);
    if (cache?.path === path && cache.mtimeMs === mtimeMs) return cache.offsetMs;
    const parsed = JSON.parse(readFileSync(path, "utf8")) as { offsetMs?: unknown };
    const offsetMs = typeof parsed.offsetMs === "number" && Number.isFinite(parsed.offsetMs) ? parsed.offsetMs : 0;
    cache = { path, mtimeMs, offsetMs };
    return offsetMs;
  } catch {
    return 0;
  }
}

/** Now, on the domain clock. */
export function now(): Date {
  return new Date(Date.now() + clockOffsetMs());
}

/** Test and demo helper: shift the clock of every process sharing `path` so that "now" is `to`. */
export function setClock(path: string, to: Date): void {
  writeFileSync(path, JSON.stringify({ offsetMs: to.getTime() - Date.now(), setTo: to.toISOString() }));
}
