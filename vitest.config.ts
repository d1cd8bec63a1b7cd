import { defineConfig } from "vitest/config";

// Its own config, so the Remix Vite plugin is not loaded under tests.
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["app/**/*.test.{ts,tsx}", "workers/**/*.test.ts", "emails/**/*.test.{ts,tsx}"],
          exclude: ["**/*.int.test.{ts,tsx}", "**/node_modules/**"],
          environment: "node",
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["**/*.int.test.{ts,tsx}"],
          exclude: ["**/node_modules/**", ".data/**", "build/**"],
          environment: "node",
          globalSetup: ["scripts/test/global-setup.ts"],
          setupFiles: ["scripts/test/setup-env.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
