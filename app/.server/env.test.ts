import { describe, expect, it } from "vitest";
import { ConfigError, isSecureOrigin, parseEnv } from "./env.ts";

const MINIMAL = {
  DATABASE_URL: "postgresql://greenlane:secret@127.0.0.1:5432/greenlane",
  REDIS_URL: "redis://127.0.0.1:6379",
  SMTP_URL: "smtp://127.0.0.1:2525",
  SESSION_SECRET: "x".repeat(32),
};

/** Runs parseEnv and returns the ConfigError it throws. */
function configError(source: Record<string, string | undefined>): ConfigError {
  try {
    parseEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("parseEnv did not throw");
}

describe("parseEnv", () => {
  it("parses a minimal environment and fills in defaults", () => {
    const env = parseEnv(MINIMAL);
    expect(env).toMatchObject({
      ...MINIMAL,
      NODE_ENV: "development",
      APP_URL: "http://localhost:3000",
      PORT: 3000,
      HOST: "127.0.0.1",
      DEV_MAILBOX: false,
      FILE_STORE: ".data/files",
      LOG_LEVEL: "info",
      SESSION_IDLE_MINUTES: 30,
      SESSION_ABSOLUTE_HOURS: 12,
      LOCKOUT_THRESHOLD: 5,
      LOCKOUT_MINUTES: 15,
      QUEUE_PREFIX: "greenlane",
    });
    expect(env.MAIL_FROM).toContain("Greenlane");
    expect(isSecureOrigin(env)).toBe(false);
  });

  it("coerces numbers and booleans from strings", () => {
    const env = parseEnv({
      ...MINIMAL,
      PORT: "8080",
      DEV_MAILBOX: "yes",
      LOCKOUT_THRESHOLD: "10",
      APP_URL: "https://greenlane.example.cn",
      DATABASE_URL: "postgres://u:p@db/greenlane",
      REDIS_URL: "rediss://cache:6380",
    });
    expect(env.PORT).toBe(8080);
    expect(env.DEV_MAILBOX).toBe(true);
    expect(env.LOCKOUT_THRESHOLD).toBe(10);
    expect(isSecureOrigin(env)).toBe(true);
    expect(parseEnv({ ...MINIMAL, DEV_MAILBOX: "0" }).DEV_MAILBOX).toBe(false);
  });

  it("ignores unrelated variables", () => {
    expect(() => parseEnv({ ...MINIMAL, PATH: "/usr/bin", HOME: "/root" })).not.toThrow();
  });

  it.each([
    ["DATABASE_URL", { DATABASE_URL: "mysql://u:p@127.0.0.1/greenlane" }],
    ["DATABASE_URL", { DATABASE_URL: "not a url" }],
    ["REDIS_URL", { REDIS_URL: "http://127.0.0.1:6379" }],
    ["SMTP_URL", { SMTP_URL: "imap://mail" }],
    ["APP_URL", { APP_URL: "ftp://greenlane" }],
    ["SESSION_SECRET", { SESSION_SECRET: "x".repeat(31) }],
    ["PORT", { PORT: "0" }],
    ["PORT", { PORT: "65536" }],
    ["PORT", { PORT: "80.5" }],
    ["PORT", { PORT: "abc" }],
    ["NODE_ENV", { NODE_ENV: "staging" }],
    ["DEV_MAILBOX", { DEV_MAILBOX: "maybe" }],
    ["LOG_LEVEL", { LOG_LEVEL: "verbose" }],
    ["QUEUE_PREFIX", { QUEUE_PREFIX: "green lane:" }],
  ])("reports a bad %s by name", (name, override) => {
    const error = configError({ ...MINIMAL, ...override });
    // Only this variable is reported (a malformed URL also fails the protocol rule, so it may be named twice).
    expect(error.problems.length).toBeGreaterThan(0);
    for (const problem of error.problems) expect(problem).toMatch(new RegExp(`^${name}: `));
    expect(error.message).toContain(name);
  });

  it("explains the protocol rule for a URL with the wrong protocol", () => {
    const error = configError({ ...MINIMAL, DATABASE_URL: "mysql://u:p@127.0.0.1/greenlane" });
    expect(error.problems[0]).toContain("postgres://");
  });

  it("explains the SESSION_SECRET length rule", () => {
    const error = configError({ ...MINIMAL, SESSION_SECRET: "short" });
    expect(error.problems[0]).toBe("SESSION_SECRET: must be at least 32 characters");
  });

  it.each(["DATABASE_URL", "REDIS_URL", "SMTP_URL", "SESSION_SECRET"] as const)(
    "reports a missing %s as not set",
    (name) => {
      const source: Record<string, string | undefined> = { ...MINIMAL };
      delete source[name];
      const error = configError(source);
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]).toMatch(new RegExp(`^${name} \\(not set\\): `));
    },
  );

  it("treats empty strings as unset", () => {
    const error = configError({ ...MINIMAL, REDIS_URL: "" });
    expect(error.problems).toEqual([expect.stringMatching(/^REDIS_URL \(not set\): /)]);

    // An empty optional variable falls back to its default instead of failing.
    const env = parseEnv({ ...MINIMAL, PORT: "", DEV_MAILBOX: "", LOG_LEVEL: "", APP_URL: "" });
    expect(env.PORT).toBe(3000);
    expect(env.DEV_MAILBOX).toBe(false);
    expect(env.LOG_LEVEL).toBe("info");
    expect(env.APP_URL).toBe("http://localhost:3000");
  });

  it("treats undefined values as unset", () => {
    expect(parseEnv({ ...MINIMAL, PORT: undefined }).PORT).toBe(3000);
  });

  it("reports every problem at once", () => {
    const error = configError({ DATABASE_URL: "mysql://x", PORT: "99999", SESSION_SECRET: "short" });
    const names = error.problems.map((p) => p.split(/[ :]/)[0]);
    expect(names).toEqual(expect.arrayContaining(["DATABASE_URL", "REDIS_URL", "SMTP_URL", "PORT", "SESSION_SECRET"]));
    expect(error.problems).toHaveLength(5);
    expect(error.name).toBe("ConfigError");
    expect(error).toBeInstanceOf(Error);
  });
});
