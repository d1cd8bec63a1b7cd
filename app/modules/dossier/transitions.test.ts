import { describe, expect, it } from "vitest";
import type { DossierStatus, Role } from "#app/.server/generated/prisma/enums.ts";
import {
  availableActions,
  canTransition,
  CLOCK_PAUSED,
  clockOf,
  DOSSIER_ACTIONS,
  END_STATES,
  OPEN_STATUSES,
  PRE_DECISION,
  STAGE_OF_STATUS,
  TRANSITIONS,
  type DossierAction,
} from "./transitions.ts";

const STATUSES: DossierStatus[] = [
  "DRAFT",
  "SUBMITTED",
  "ACCEPTED",
  "CORRECTION_REQUESTED",
  "NOT_ACCEPTED",
  "IN_REVIEW",
  "SUPPLEMENT_REQUESTED",
  "REVIEW_CONCLUDED",
  "APPROVED",
  "REJECTED",
  "WITHDRAWN",
  "TERMINATED",
];
const ROLES: Role[] = ["APPLICANT", "ADVISOR", "WINDOW", "ADMIN", "AUDITOR"];

const EXPECTED: Record<DossierAction, { from: DossierStatus[]; to: DossierStatus; roles: Role[] }> = {
  submit: { from: ["DRAFT", "CORRECTION_REQUESTED"], to: "SUBMITTED", roles: ["APPLICANT"] },
  withdraw: { from: [...PRE_DECISION], to: "WITHDRAWN", roles: ["APPLICANT"] },
  accept: { from: ["SUBMITTED"], to: "ACCEPTED", roles: ["WINDOW"] },
  returnForCorrection: { from: ["SUBMITTED"], to: "CORRECTION_REQUESTED", roles: ["WINDOW"] },
  notAccept: { from: ["SUBMITTED"], to: "NOT_ACCEPTED", roles: ["WINDOW"] },
  handover: { from: ["ACCEPTED"], to: "IN_REVIEW", roles: ["WINDOW"] },
  requestSupplement: { from: ["IN_REVIEW"], to: "SUPPLEMENT_REQUESTED", roles: ["WINDOW"] },
  supplementReceived: { from: ["SUPPLEMENT_REQUESTED"], to: "IN_REVIEW", roles: ["WINDOW"] },
  conclude: { from: ["IN_REVIEW"], to: "REVIEW_CONCLUDED", roles: ["WINDOW"] },
  approve: { from: ["REVIEW_CONCLUDED"], to: "APPROVED", roles: ["WINDOW"] },
  reject: { from: ["REVIEW_CONCLUDED"], to: "REJECTED", roles: ["WINDOW"] },
  terminate: { from: ["ACCEPTED", "IN_REVIEW", "SUPPLEMENT_REQUESTED", "REVIEW_CONCLUDED"], to: "TERMINATED", roles: ["WINDOW"] },
};

const WINDOW_ACTIONS = DOSSIER_ACTIONS.filter((a) => a !== "submit" && a !== "withdraw");

describe("the transition table", () => {
  it("has exactly the expected actions", () => {
    expect([...DOSSIER_ACTIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
  });
  it.each(Object.entries(EXPECTED))("%s: from-states, target and roles", (action, rule) => {
    const actual = TRANSITIONS[action as DossierAction];
    expect([...actual.from].sort()).toEqual([...rule.from].sort());
    expect(actual.to).toBe(rule.to);
    expect([...actual.roles].sort()).toEqual([...rule.roles].sort());
  });
  it("canTransition agrees with TRANSITIONS for every action, status and role", () => {
    for (const action of DOSSIER_ACTIONS)
      for (const status of STATUSES)
        for (const role of ROLES) {
          const rule = EXPECTED[action];
          expect(canTransition(action, status, role), `${action} ${status} ${role}`).toBe(rule.from.includes(status) && rule.roles.includes(role));
        }
  });
  it("availableActions lists what canTransition allows", () => {
    expect(availableActions("SUBMITTED", "WINDOW").sort()).toEqual(["accept", "notAccept", "returnForCorrection"]);
    expect(availableActions("IN_REVIEW", "WINDOW").sort()).toEqual(["conclude", "requestSupplement", "terminate"]);
    expect(availableActions("SUPPLEMENT_REQUESTED", "WINDOW").sort()).toEqual(["supplementReceived", "terminate"]);
    expect(availableActions("REVIEW_CONCLUDED", "WINDOW").sort()).toEqual(["approve", "reject", "terminate"]);
    expect(availableActions("SUPPLEMENT_REQUESTED", "APPLICANT")).toEqual(["withdraw"]);
    expect(availableActions("IN_REVIEW", "ADVISOR")).toEqual([]);
  });
});

describe("who may act", () => {
  it("the applicant cannot take any window action in any status", () => {
    for (const action of WINDOW_ACTIONS) for (const status of STATUSES) expect(canTransition(action, status, "APPLICANT"), `${action} ${status}`).toBe(false);
  });
  it("only the window takes window actions (not advisors, admins or auditors)", () => {
    for (const action of WINDOW_ACTIONS) expect(TRANSITIONS[action].roles).toEqual(["WINDOW"]);
  });
  it("only the applicant submits and withdraws", () => {
    expect(TRANSITIONS.submit.roles).toEqual(["APPLICANT"]);
    expect(TRANSITIONS.withdraw.roles).toEqual(["APPLICANT"]);
  });
});

describe("end states", () => {
  it("no action moves a dossier out of an end state", () => {
    for (const action of DOSSIER_ACTIONS) for (const status of END_STATES) expect(TRANSITIONS[action].from, `${action} ${status}`).not.toContain(status);
  });
  it("are exactly the statuses that are not open", () => {
    expect([...END_STATES, ...OPEN_STATUSES].sort()).toEqual([...STATUSES].sort());
    for (const s of END_STATES) expect(OPEN_STATUSES).not.toContain(s);
  });
  it("every end state is reachable and every open status can be left", () => {
    const targets = new Set(DOSSIER_ACTIONS.map((a) => TRANSITIONS[a].to));
    for (const s of END_STATES) expect(targets.has(s), s).toBe(true);
    for (const s of OPEN_STATUSES) expect(DOSSIER_ACTIONS.some((a) => TRANSITIONS[a].from.includes(s)), s).toBe(true);
  });
  it("the window may terminate after a missed supplement year", () => {
    expect(canTransition("terminate", "SUPPLEMENT_REQUESTED", "WINDOW")).toBe(true);
  });
});

describe("clock stages (Art. 98/99)", () => {
  it("map each status to its stage", () => {
    expect(STAGE_OF_STATUS).toMatchObject({
      SUBMITTED: "acceptance",
      ACCEPTED: "handover",
      IN_REVIEW: "review",
      SUPPLEMENT_REQUESTED: "review",
      REVIEW_CONCLUDED: "approval",
      APPROVED: "issuance",
    });
    for (const s of ["DRAFT", "CORRECTION_REQUESTED", "NOT_ACCEPTED", "REJECTED", "WITHDRAWN", "TERMINATED"] as const) expect(STAGE_OF_STATUS[s], s).toBeNull();
  });
  it("pause the review clock while the supplement is awaited, and only then", () => {
    expect(clockOf("SUPPLEMENT_REQUESTED")).toEqual({ stage: "review", running: false });
    expect(clockOf("IN_REVIEW")).toEqual({ stage: "review", running: true });
    expect(clockOf("DRAFT")).toBeNull();
    expect(CLOCK_PAUSED).toEqual(["SUPPLEMENT_REQUESTED"]);
  });
  it("a supplement round trip stays in the review stage", () => {
    const { to: waiting } = TRANSITIONS.requestSupplement;
    const { to: back } = TRANSITIONS.supplementReceived;
    expect(STAGE_OF_STATUS[waiting]).toBe("review");
    expect(STAGE_OF_STATUS[back]).toBe("review");
  });
});
