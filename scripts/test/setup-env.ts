import { inject } from "vitest";

// Before any app module reads its configuration.
Object.assign(process.env, inject("testEnv"));
