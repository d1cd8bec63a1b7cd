/**
 * Password policy after 等保 2.0 Level 3 (GB/T 22239-2019 8.1.4.1: complexity
 * required), which the README records as taking precedence over ASVS where
 * they differ: at least 10 characters, three of four character classes, not
 * derived from the email address, not a well-known password.
 */
export const PASSWORD_MIN_LENGTH = 10;
/** Long passphrases are welcome; argon2 does not truncate (unlike bcrypt's 72 bytes). */
export const PASSWORD_MAX_LENGTH = 256;

export type PasswordProblem = "tooShort" | "tooLong" | "classes" | "containsEmail" | "common";

// Bases of the most common passwords in leaked lists (CN and international);
// a password is rejected when, lower-cased and stripped of leading/trailing
// digits and symbols, it is one of these.
const COMMON_BASES = new Set([
  "password", "passw0rd", "p@ssw0rd", "p@ssword", "qwerty", "qwertyuiop", "asdfgh", "asdfghjkl", "zxcvbnm",
  "abc", "abcd", "abcdef", "abcdefg", "abcdefgh", "admin", "administrator", "root", "welcome", "letmein",
  "iloveyou", "woaini", "woaini1314", "monkey", "dragon", "master", "sunshine", "princess", "football",
  "baseball", "superman", "batman", "trustno", "shadow", "michael", "jennifer", "hello", "helloworld",
  "changeme", "secret", "test", "guest", "login", "user", "qazwsx", "qazwsxedc", "1qaz2wsx", "1q2w3e4r",
  "1q2w3e", "zaq12wsx", "aa", "aaa", "aaaa", "aaaaaa", "a", "q", "qq", "qwe", "qweasd", "qweasdzxc",
  "asd", "zxc", "huawei", "tianjin", "beijing", "china", "greenlane", "lvtong", "yiliao", "qixie",
]);
const COMMON_EXACT = new Set([
  "1234567890", "12345678910", "0123456789", "9876543210", "1111111111", "0000000000", "1234512345",
  "1qaz@wsx3edc", "1qaz!qaz", "qwer1234!@#$", "p@ssw0rd123", "password123!", "admin@123456", "abc@123456",
  "abcd@12345", "a123456789", "aa123456789", "woaini1314520", "5201314abc", "qq123456789",
]);

function classes(password: string): number {
  let n = 0;
  if (/[a-z]/.test(password)) n++;
  if (/[A-Z]/.test(password)) n++;
  if (/[0-9]/.test(password)) n++;
  if (/[^A-Za-z0-9]/.test(password)) n++;
  return n;
}

export function passwordProblems(password: string, email?: string | null): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const chars = [...password].length;
  if (chars < PASSWORD_MIN_LENGTH) problems.push("tooShort");
  if (chars > PASSWORD_MAX_LENGTH) problems.push("tooLong");
  if (classes(password) < 3) problems.push("classes");
  const lower = password.toLowerCase();
  if (email) {
    const address = email.trim().toLowerCase();
    const local = address.split("@")[0] ?? "";
    if (lower.includes(address) || (local.length >= 3 && lower.includes(local))) problems.push("containsEmail");
  }
  const base = lower.replace(/^[^a-z]+|[^a-z]+$/g, "");
  if (COMMON_EXACT.has(lower) || COMMON_BASES.has(base) || (base === "" && /^(\d)\1*$|^0?123456789?0?$/.test(lower)))
    problems.push("common");
  return problems;
}
