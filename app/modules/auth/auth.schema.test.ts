import { describe, expect, it } from "vitest";
import { ZLogin, ZRegister, ZUscc } from "./auth.schema.ts";

const VALID = {
  companyName: "天津绿通医疗器械有限公司",
  uscc: "91120110MA05TL3Y5G",
  contactName: "张伟",
  email: "zhang.wei@example.com",
  phone: "13812345678",
  password: "Tianjin#Device2026",
  confirmPassword: "Tianjin#Device2026",
};

/** The issues of a failed parse, as { path: message[] }. */
function issues(schema: typeof ZRegister | typeof ZLogin, input: unknown): Record<string, string[]> {
  const result = schema.safeParse(input);
  expect(result.success).toBe(false);
  const out: Record<string, string[]> = {};
  for (const issue of result.error?.issues ?? []) (out[issue.path.join(".")] ??= []).push(issue.message);
  return out;
}

describe("ZRegister", () => {
  it("accepts a valid registration", () => {
    const result = ZRegister.safeParse(VALID);
    expect(result.success).toBe(true);
    expect(result.data).toMatchObject({ uscc: "91120110MA05TL3Y5G", email: "zhang.wei@example.com" });
  });

  it("rejects a USCC with a wrong check character", () => {
    expect(issues(ZRegister, { ...VALID, uscc: "91120110MA05TL3Y5H" })).toEqual({
      uscc: ["errors.uscc.checkCharacter"],
    });
  });

  it("reports length and character problems of the USCC", () => {
    expect(issues(ZRegister, { ...VALID, uscc: "91120110MA05TL3Y5" })).toEqual({ uscc: ["errors.uscc.length"] });
    expect(issues(ZRegister, { ...VALID, uscc: "91120110MA05TL3Y5I" })).toEqual({ uscc: ["errors.uscc.character"] });
    expect(issues(ZRegister, { ...VALID, uscc: "" })).toEqual({ uscc: ["errors.required"] });
  });

  it("normalises a lower-case USCC with spaces", () => {
    const result = ZRegister.parse({ ...VALID, uscc: " 91120110 ma05tl3y5g " });
    expect(result.uscc).toBe("91120110MA05TL3Y5G");
    expect(ZUscc.parse("91110108ma01c3kx7y")).toBe("91110108MA01C3KX7Y");
  });

  it("rejects mismatched passwords on confirmPassword", () => {
    expect(issues(ZRegister, { ...VALID, confirmPassword: "Tianjin#Device2027" })).toEqual({
      confirmPassword: ["errors.password.mismatch"],
    });
  });

  it("reports password-policy problems on password, including the email check", () => {
    expect(issues(ZRegister, { ...VALID, password: "Zhang.Wei#2026", confirmPassword: "Zhang.Wei#2026" })).toEqual({
      password: ["errors.password.containsEmail"],
    });
    expect(issues(ZRegister, { ...VALID, password: "Password1", confirmPassword: "Password1" })).toEqual({
      password: ["errors.password.tooShort", "errors.password.common"],
    });
  });

  it("lower-cases and trims the email", () => {
    const result = ZRegister.parse({ ...VALID, email: "  Zhang.Wei@Example.COM " });
    expect(result.email).toBe("zhang.wei@example.com");
  });

  it("rejects an invalid email", () => {
    expect(issues(ZRegister, { ...VALID, email: "not-an-email" })).toEqual({ email: ["errors.email"] });
  });

  it("makes an empty phone undefined and rejects a malformed one", () => {
    expect(ZRegister.parse({ ...VALID, phone: "" }).phone).toBeUndefined();
    expect(issues(ZRegister, { ...VALID, phone: "1381234567" })).toEqual({ phone: ["errors.phone"] });
  });
});

describe("ZLogin", () => {
  it("lower-cases and trims the email", () => {
    expect(ZLogin.parse({ email: " Zhang.Wei@Example.COM", password: "x" })).toEqual({
      email: "zhang.wei@example.com",
      password: "x",
    });
  });

  it("requires email and password", () => {
    expect(issues(ZLogin, { email: "  ", password: "" })).toEqual({
      email: ["errors.required"],
      password: ["errors.required"],
    });
  });
});
