import { describe, expect, it } from "vitest";
import { isValidUscc, normalizeUscc, USCC_ALPHABET, usccCheckCharacter, usccProblem } from "./uscc.ts";

/*
 * An independent reference implementation of GB 32100-2015 §5 (check
 * character), written from the standard rather than from uscc.ts, so a
 * mistake in the module's alphabet or weights is not mirrored here.
 */
const REF_ALPHABET = [..."0123456789", ..."ABCDEFGH", ..."JKLMN", ..."PQR", ..."TU", ..."WXY"];
const REF_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

function refCheck(first17: string): string {
  // Weight i is 3^i mod 31 (the table in the standard is exactly this).
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = REF_ALPHABET.indexOf(first17.charAt(i));
    if (value < 0) throw new Error(`bad character ${first17.charAt(i)} in ${first17}`);
    sum += value * REF_WEIGHTS[i]!;
  }
  return REF_ALPHABET[(31 - (sum % 31)) % 31]!;
}

const withCheck = (first17: string) => first17 + refCheck(first17);

describe("reference implementation sanity", () => {
  it("has the 31-character alphabet without I, O, S, V, Z", () => {
    expect(REF_ALPHABET).toHaveLength(31);
    expect(REF_ALPHABET.join("")).toBe(USCC_ALPHABET);
    for (const ch of "IOSVZ") expect(REF_ALPHABET).not.toContain(ch);
  });

  it("uses weights 3^i mod 31", () => {
    REF_WEIGHTS.forEach((w, i) => expect(w).toBe(Number(3n ** BigInt(i) % 31n)));
  });
});

// Codes of real shape: registration-authority code 9 (工商), type 1 (企业),
// a six-digit administrative-division code, then a nine-character body
// (old 组织机构代码 digits or the post-2015 "MA…" form).
const GENERATED_PREFIXES = [
  "91120110MA05TL3Y5", // 天津 东丽
  "91120116MA06ABCD1", // 天津 滨海新区
  "91110108MA01C3KX7", // 北京 海淀
  "91310115MA1K4XYW2", // 上海 浦东
  "91440300MA5FQ8RT3", // 深圳
  "91320500MA1MW0PH4", // 苏州
  "92120104MA07L9Q83", // 个体工商户, 天津 南开
  "52120000MJ0123456", // 社会团体 (民政)
  "12100000400012345", // 事业单位
  "91330100000000000",
];

// Hard-coded codes; each was checked against the reference implementation
// (asserted again below) and they follow the published format.
const KNOWN_VALID = [
  "91120110MA05TL3Y5G",
  "91110108MA01C3KX7Y",
  "91440300708461136T",
  "91310000132200821H",
  "91110000710935732K",
];

describe("usccCheckCharacter", () => {
  it.each(GENERATED_PREFIXES)("matches the reference for %s", (first17) => {
    expect(usccCheckCharacter(first17)).toBe(refCheck(first17));
  });

  it("returns null for a character outside the alphabet", () => {
    expect(usccCheckCharacter("91120110MA05TL3I5")).toBeNull();
    expect(usccCheckCharacter("9112011")).toBeNull();
  });

  it("maps a sum divisible by 31 to check character 0", () => {
    // 91120116MA05TL312: weighted sum ≡ 0 (mod 31) → (31 - 0) % 31 = 0 → "0".
    const first17 = "91120116MA05TL312";
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += REF_ALPHABET.indexOf(first17.charAt(i)) * REF_WEIGHTS[i]!;
    expect(sum % 31).toBe(0);
    expect(usccCheckCharacter(first17)).toBe("0");
    expect(usccProblem(`${first17}0`)).toBeNull();
    // and not "Y" (index 30), which an implementation without the final "% 31" would return
    expect(usccProblem(`${first17}Y`)).toBe("checkCharacter");
  });
});

describe("usccProblem / isValidUscc", () => {
  it.each(KNOWN_VALID)("accepts the known-valid code %s", (code) => {
    expect(refCheck(code.slice(0, 17))).toBe(code[17]);
    expect(usccProblem(code)).toBeNull();
    expect(isValidUscc(code)).toBe(true);
  });

  it.each(GENERATED_PREFIXES.map(withCheck))("accepts the generated code %s", (code) => {
    expect(usccProblem(code)).toBeNull();
    expect(isValidUscc(code)).toBe(true);
  });

  describe.each([...KNOWN_VALID, ...GENERATED_PREFIXES.map(withCheck)])("single-character changes to %s", (code) => {
    it.each(Array.from({ length: 18 }, (_, i) => i))("invalidates the code at position %i", (position) => {
      const original = code[position]!;
      const alternatives = REF_ALPHABET.filter((ch) => ch !== original);
      expect(alternatives).toHaveLength(30);
      for (const replacement of alternatives) {
        const changed = code.slice(0, position) + replacement + code.slice(position + 1);
        expect(changed).toHaveLength(18);
        expect(usccProblem(changed), changed).toBe("checkCharacter");
        expect(isValidUscc(changed), changed).toBe(false);
      }
    });
  });

  it("accepts lower case after normalizeUscc", () => {
    const lower = "91120110ma05tl3y5g";
    expect(normalizeUscc(lower)).toBe("91120110MA05TL3Y5G");
    expect(usccProblem(normalizeUscc(lower))).toBeNull();
    expect(isValidUscc(lower)).toBe(true);
    // usccProblem itself expects normalised input
    expect(usccProblem(lower)).toBe("character");
  });

  it("strips spaces (including tabs and full runs) before validating", () => {
    const spaced = " 9112 0110 MA05 TL3Y 5G ";
    expect(normalizeUscc(spaced)).toBe("91120110MA05TL3Y5G");
    expect(isValidUscc(spaced)).toBe(true);
    expect(isValidUscc("91120110\tMA05TL3Y5G\n")).toBe(true);
    expect(isValidUscc("9112 0110 ma05 tl3y 5g")).toBe(true);
  });

  it.each([
    ["empty", ""],
    ["17 characters", "91120110MA05TL3Y5"],
    ["19 characters", "91120110MA05TL3Y5G0"],
    ["only spaces", "   "],
  ])("rejects wrong length: %s", (_label, input) => {
    expect(usccProblem(normalizeUscc(input))).toBe("length");
    expect(isValidUscc(input)).toBe(false);
  });

  it.each([..."IOSVZ"])("rejects the forbidden letter %s as a character problem", (letter) => {
    // In the body…
    expect(usccProblem(`91120110MA05T${letter}3Y5G`)).toBe("character");
    // …and as the check character.
    expect(usccProblem(`91120110MA05TL3Y5${letter}`)).toBe("character");
    expect(isValidUscc(`91120110MA05TL3Y5${letter.toLowerCase()}`)).toBe(false);
  });

  it("rejects punctuation and full-width characters", () => {
    expect(usccProblem("91120110-MA05TL3Y5")).toBe("character");
    expect(usccProblem("９1120110MA05TL3Y5G")).toBe("character");
  });
});
