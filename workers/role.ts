// Imported first by workers/index.ts: its log lines say "worker". An assignment in index.ts
// itself would run after its imports, and so after the logger has read the role.
process.env.STOREWISE_ROLE ??= "worker";
