import { describe, expect, it } from "vitest";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblems } from "./password-policy.ts";

describe("passwordProblems", () => {
  it("accepts a good password", () => {
    expect(passwordProblems("Tianjin#Device2026")).toEqual([]);
    expect(passwordProblems("Tianjin#Device2026", "zhang.wei@example.com")).toEqual([]);
  });

  it("rejects Password1 as too short and common", () => {
    const problems = passwordProblems("Password1");
    expect(problems).toContain("tooShort");
    expect(problems).toContain("common");
    expect(problems).not.toContain("classes"); // upper, lower, digit: three classes
  });

  it("rejects 7 characters as too short", () => {
    expect(passwordProblems("Xk#9mQ2")).toEqual(["tooShort"]);
  });

  it("accepts exactly the minimum length and rejects one less", () => {
    expect(PASSWORD_MIN_LENGTH).toBe(10);
    expect(passwordProblems("Hx#7kqWm2p")).toEqual([]);
    expect(passwordProblems("Hx#7kqWm2")).toEqual(["tooShort"]);
  });

  it("counts characters, not UTF-16 code units", () => {
    // Five emoji are ten UTF-16 code units but only five characters.
    const emoji = "😀😁😂🤣😃";
    expect(emoji.length).toBe(10);
    expect(passwordProblems(`${emoji}Ab1`)).toContain("tooShort");
    expect(passwordProblems(`${emoji}Ab1xyzw`)).not.toContain("tooShort");
  });

  describe("email", () => {
    const email = "zhang.wei@example.com";

    it("rejects the whole address inside the password", () => {
      expect(passwordProblems(`X9!${email}`, email)).toContain("containsEmail");
    });

    it("rejects the local part inside the password", () => {
      expect(passwordProblems("Zhang.Wei#2026x", email)).toEqual(["containsEmail"]);
      expect(passwordProblems("MyPw-ZHANG.WEI-77", email)).toEqual(["containsEmail"]);
    });

    it("compares case-insensitively and ignores surrounding spaces in the email", () => {
      expect(passwordProblems("Zhang.Wei#2026x", "  Zhang.Wei@Example.COM ")).toEqual(["containsEmail"]);
    });

    it("ignores a local part shorter than three characters", () => {
      expect(passwordProblems("Lily#Device2026", "li@example.com")).toEqual([]);
    });

    it("does not check when no email is given", () => {
      expect(passwordProblems("Zhang.Wei#2026x")).toEqual([]);
      expect(passwordProblems("Zhang.Wei#2026x", null)).toEqual([]);
    });
  });

  describe("character classes", () => {
    it.each([
      ["lower + symbol", "tianjin-device-portal"],
      ["lower + digit", "tianjindevice2026"],
      ["upper + digit", "TIANJINDEVICE2026"],
      ["upper + lower", "TianjinDevicePortal"],
      ["digit + symbol", "2026-01-01#9876"],
    ])("rejects only two classes: %s", (_label, password) => {
      expect(passwordProblems(password)).toEqual(["classes"]);
    });

    it("treats spaces and non-ASCII as symbols", () => {
      expect(passwordProblems("tianjin device 2026")).toEqual([]);
      expect(passwordProblems("天津医疗器械device2026")).toEqual([]);
    });
  });

  describe("common passwords", () => {
    it.each(["Password123!", "Qwerty@12345", "P@ssw0rd2026!", "Admin@123456", "1qaz@WSX3edc", "Tianjin2026!", "!!Welcome2026"])(
      "rejects %s as common",
      (password) => {
        expect(passwordProblems(password)).toEqual(["common"]);
      },
    );

    it("rejects plain digit runs as common", () => {
      expect(passwordProblems("1234567890")).toContain("common");
      expect(passwordProblems("0000000000")).toContain("common");
      expect(passwordProblems("7777777777777")).toContain("common");
    });

    it("does not reject a common word embedded in a longer phrase", () => {
      expect(passwordProblems("MyPassword#IsLong2026")).toEqual([]);
    });
  });

  describe("long passphrases", () => {
    // 63 letters (upper and lower) followed by one last character; the third
    // class comes only from the 64th character, so any truncation would show.
    const body = "CorrectHorseBatteryStapleBesideTheHaiheRiverAtSunriseInTianjinX";

    it("accepts a 64-character passphrase with three classes", () => {
      const passphrase = `${body}!`;
      expect([...passphrase]).toHaveLength(64);
      expect(passwordProblems(passphrase)).toEqual([]);
    });

    it("evaluates the password to its last character", () => {
      expect(body).toHaveLength(63);
      // Same first 63 characters, different last one: now only two classes.
      expect(passwordProblems(`${body}x`)).toEqual(["classes"]);
      expect(passwordProblems(`${body}7`)).toEqual([]);
      // An email local part at the very end is still found.
      expect(passwordProblems(`${body}!zhang.wei`, "zhang.wei@example.com")).toEqual(["containsEmail"]);
    });

    it("accepts exactly the maximum length", () => {
      expect(PASSWORD_MAX_LENGTH).toBe(256);
      const password = `${"Ab1#".repeat(64)}`;
      expect(password).toHaveLength(256);
      expect(passwordProblems(password)).toEqual([]);
    });

    it("rejects more than 256 characters as too long", () => {
      expect(passwordProblems(`${"Ab1#".repeat(64)}x`)).toEqual(["tooLong"]);
      expect(passwordProblems("Tianjin#Device2026".repeat(20))).toContain("tooLong");
    });
  });
});
