import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";
import { env } from "./env.ts";

export * from "./generated/prisma/client.ts";

declare global {
  var __greenlanePrisma: PrismaClient | undefined;
}

/**
 * One client per process. The Express host and the Remix build both import this
 * module, so the instance lives on globalThis rather than in module scope.
 */
/** How long a request waits for a free connection, and for a transaction to start, when all are busy (a burst queues, it does not fail). */
const WAIT_FOR_CONNECTION_MS = 10_000;

export function createPrisma(connectionString: string) {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString, max: env().DATABASE_POOL_SIZE, connectionTimeoutMillis: WAIT_FOR_CONNECTION_MS }),
    transactionOptions: { maxWait: WAIT_FOR_CONNECTION_MS, timeout: 10_000 },
  });
}

export const prisma: PrismaClient = (globalThis.__greenlanePrisma ??= createPrisma(env().DATABASE_URL));

export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;
