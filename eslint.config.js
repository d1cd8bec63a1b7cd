// ESLint flat config. Run with `npm run lint` (eslint --max-warnings 0 .):
// a warning fails the lint exactly like an error, so every rule below is
// either "error" or "off" — there is no "warn-and-ignore" middle ground.
import js from "@eslint/js";
import jsxA11y from "eslint-plugin-jsx-a11y";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

// A transaction has one connection: pg queues concurrent queries on it and warns (an error from pg 9).
// Keyed on the name every transaction client has in this code base: `tx`.
const noConcurrentTxQueries = {
  selector: "CallExpression[callee.object.name='Promise'][callee.property.name=/^all/] CallExpression[callee.object.object.name='tx']",
  message: "A transaction has one connection: run its queries one after another, not in Promise.all (pg queues them and warns).",
};

export default defineConfig(
  globalIgnores([
    "build/",
    ".build-*/",
    "node_modules/",
    ".data/",
    "app/.server/generated/",
    "test-results/",
    "playwright-report/",
    "public/",
    // Benchmark output, git-ignored like the folders above.
    "bench/results/",
  ]),

  js.configs.recommended,
  // Not the type-checked variant: linting must stay fast; `npm run typecheck` covers types.
  tseslint.configs.recommended,
  react.configs.flat.recommended,
  // The codebase compiles with "jsx": "react-jsx": JSX needs no React import.
  react.configs.flat["jsx-runtime"],
  jsxA11y.flatConfigs.recommended,

  {
    files: ["**/*.{js,mjs,cjs,jsx,ts,tsx,mts,cts}"],
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
      // Remix modules run on both sides (loaders/actions on Node, components in
      // the browser), and scripts/workers/e2e run on Node.
      globals: { ...globals.node, ...globals.browser },
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
    settings: {
      react: { version: "18.3" },
    },
    plugins: {
      "react-hooks": reactHooks,
    },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      // "error" rather than the plugin's default "warn": with --max-warnings 0
      // a warning fails anyway. A deliberate exception needs a local
      // disable comment (with its reason after "--").
      "react-hooks/exhaustive-deps": "error",

      // `_`-prefixed names mark intentionally unused bindings (e.g. `(_req, res)`,
      // `const { password: _password, ...safe } = user`).
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          args: "after-used",
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],

      // TypeScript types the props; runtime PropTypes would duplicate them.
      "react/prop-types": "off",
    },
  },

  {
    // Business transactions go through `transaction` (app/.server/audit.ts), which
    // writes their audit rows last so the chain's lock is held only at the commit.
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/.server/audit.ts", "**/*.test.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.property.name='$transaction'][arguments.0.type=/FunctionExpression$/]",
          message: "Use transaction() from #app/.server/audit.ts: it writes the audit rows at the end of the transaction.",
        },
        noConcurrentTxQueries,
      ],
    },
  },

  {
    // Workers and scripts run transactions of their own (outbox relay, reminder firing).
    files: ["workers/**/*.ts", "scripts/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: { "no-restricted-syntax": ["error", noConcurrentTxQueries] },
  },
);
