import { describe, expect, it } from "vitest";
import { z } from "zod";
import { deterministicUuid, reminderEmailId } from "./ids.ts";

describe("deterministic ids", () => {
  it("the same parts give the same valid UUID; different parts a different one", () => {
    const a = reminderEmailId("6f1f6a2e-6a36-4d7e-9d0e-5d2a8e0e8b11", "0b8c6f4e-4d0e-4b1e-8f3c-2a0c3e6d9f21");
    expect(a).toBe(reminderEmailId("6f1f6a2e-6a36-4d7e-9d0e-5d2a8e0e8b11", "0b8c6f4e-4d0e-4b1e-8f3c-2a0c3e6d9f21"));
    expect(z.uuid().safeParse(a).success).toBe(true);
    expect(a).not.toBe(reminderEmailId("6f1f6a2e-6a36-4d7e-9d0e-5d2a8e0e8b11", "0b8c6f4e-4d0e-4b1e-8f3c-2a0c3e6d9f22"));
    // Parts are separated: ("ab","c") and ("a","bc") differ.
    expect(deterministicUuid("ab", "c")).not.toBe(deterministicUuid("a", "bc"));
  });
});
