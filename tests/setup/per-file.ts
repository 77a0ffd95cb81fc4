import { inject } from "vitest";

// Test files import app modules (Prisma, Redis, the Admin client) that read the same validated
// env as the app under test, pointed at the same emulators.
Object.assign(process.env, inject("appEnv"));
