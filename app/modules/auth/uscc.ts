/**
 * 统一社会信用代码 (Unified Social Credit Code), GB 32100-2015: 18 characters
 * from a 31-character alphabet (no I, O, S, V, Z); the 18th is a check
 * character over the first 17 with the weights below, modulus 31.
 */
export const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export type UsccProblem = "length" | "character" | "checkCharacter";

/** Upper-cases and strips spaces: codes are often typed in lower case or copied with spaces. */
export function normalizeUscc(input: string): string {
  return input.replace(/\s+/g, "").toUpperCase();
}

/** The check character for the first 17 characters, or null if one is outside the alphabet. */
export function usccCheckCharacter(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = i < first17.length ? USCC_ALPHABET.indexOf(first17[i]!) : -1; // indexOf("") is 0, not -1
    if (value < 0) return null;
    sum += value * WEIGHTS[i]!;
  }
  const check = (31 - (sum % 31)) % 31;
  return USCC_ALPHABET[check]!;
}

/** Validates an already-normalized code; returns the first problem or null. */
export function usccProblem(code: string): UsccProblem | null {
  if (code.length !== 18) return "length";
  for (const ch of code) if (!USCC_ALPHABET.includes(ch)) return "character";
  return usccCheckCharacter(code.slice(0, 17)) === code[17] ? null : "checkCharacter";
}

export const isValidUscc = (input: string) => usccProblem(normalizeUscc(input)) === null;
