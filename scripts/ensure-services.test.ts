import { spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { freePort } from "../tests/support/ports";

/**
 * scripts/lib.sh's ensure_services on a machine without PostgreSQL or Redis, simulated: the shell
 * runs with a PATH holding only the basic tools, node, and stand-ins for `id`, `apt-get`,
 * `pg_ctlcluster` and `redis-server` that record how they were called. Nothing here installs,
 * starts or stops the machine's own services.
 */

const ROOT = path.resolve(import.meta.dirname, "..");
const TOOLS = ["cat", "grep", "sed", "ls", "sort", "tail", "rm", "dirname", "mkdir", "touch", "chmod", "env", "sh"];

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** A fake TCP service: listens on `port` for a few seconds, as a started server would. */
const listener = (port: number) =>
  `"${process.execPath}" -e 'require("net").createServer(s=>s.end()).listen(${port},"127.0.0.1");setTimeout(()=>process.exit(0),8000)' >/dev/null 2>&1 &`;

interface Machine {
  uid: number;
  apt: boolean;
  /** Ports the stand-in servers listen on once "started". */
  dbPort: number;
  redisPort: number;
  dbHost?: string;
}

async function ensureServices(machine: Machine) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "storewise-services-"));
  dirs.push(dir);
  const bin = path.join(dir, "bin");
  const pgEtc = path.join(dir, "etc-postgresql");
  const calls = path.join(dir, "calls.log");
  mkdirSync(bin);
  writeFileSync(calls, "");
  for (const tool of TOOLS) {
    const real = ["/usr/bin", "/bin"].map((prefix) => path.join(prefix, tool)).find((file) => existsSync(file));
    if (real) symlinkSync(real, path.join(bin, tool));
  }
  symlinkSync(process.execPath, path.join(bin, "node"));
  const script = (name: string, body: string) => {
    writeFileSync(path.join(bin, name), `#!/bin/sh\necho "${name} $*" >> "${calls}"\n${body}\n`);
    chmodSync(path.join(bin, name), 0o755);
  };
  script("id", `echo ${machine.uid}`);
  const pgCtl = `#!/bin/sh\necho "pg_ctlcluster $*" >> "${calls}"\ncase "$*" in *start*) ${listener(machine.dbPort)} ;; esac\n`;
  const redisServer = `#!/bin/sh\necho "redis-server $*" >> "${calls}"\n${listener(machine.redisPort)}\n`;
  if (machine.apt) {
    // What Debian's packages leave behind: a cluster whose pg_hba.conf wants a password on TCP,
    // and the server binaries (not started: a container has no init to start them).
    script(
      "apt-get",
      [
        `case "$*" in *postgresql*)`,
        `  mkdir -p "${pgEtc}/15/main"`,
        `  printf 'local all postgres peer\\nhost all all 127.0.0.1/32 scram-sha-256\\n' > "${pgEtc}/15/main/pg_hba.conf"`,
        `  cat > "${bin}/pg_ctlcluster" <<'EOF'\n${pgCtl}EOF`,
        `  chmod +x "${bin}/pg_ctlcluster" ;;`,
        `esac`,
        `case "$*" in *redis-server*)`,
        `  cat > "${bin}/redis-server" <<'EOF'\n${redisServer}EOF`,
        `  chmod +x "${bin}/redis-server" ;;`,
        `esac`,
      ].join("\n"),
    );
  }
  const host = machine.dbHost ?? "127.0.0.1";
  const child = spawn("/bin/bash", ["-c", "source scripts/lib.sh && ensure_services"], {
    cwd: ROOT,
    env: {
      PATH: bin,
      HOME: dir,
      PG_ETC: pgEtc,
      SERVICES_WAIT_SECONDS: "6",
      DATABASE_URL: `postgresql://postgres@${host}:${machine.dbPort}/storewise_test`,
      REDIS_URL: `redis://127.0.0.1:${machine.redisPort}`,
    } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const hba = path.join(pgEtc, "15/main/pg_hba.conf");
  return {
    code,
    stderr,
    calls: readFileSync(calls, "utf8").trim().split("\n").filter(Boolean),
    hba: existsSync(hba) ? readFileSync(hba, "utf8") : null,
  };
}

const COMPOSE = "docker compose up -d --wait postgres redis";

describe("npm test / npm run sandbox on a machine without PostgreSQL and Redis", () => {
  it("as root with apt-get: installs Debian's packages, lets postgres in on 127.0.0.1, and starts both", async () => {
    const result = await ensureServices({ uid: 0, apt: true, dbPort: await freePort(), redisPort: await freePort() });

    expect(result.code, result.stderr).toBe(0);
    expect(result.calls.filter((call) => call.startsWith("apt-get install"))).toEqual([
      expect.stringMatching(/^apt-get install -y -qq --no-install-recommends postgresql$/),
      expect.stringMatching(/^apt-get install -y -qq --no-install-recommends redis-server$/),
    ]);
    expect(result.calls).toContain("pg_ctlcluster --skip-systemctl-redirect 15 main start");
    expect(result.calls).toContainEqual(expect.stringMatching(/^redis-server --daemonize yes .*--port 6379/));
    // The app connects as postgres without a password, as docker-compose.yml's trust does.
    expect(result.hba?.split("\n").slice(0, 2)).toEqual([
      "host all postgres 127.0.0.1/32 trust",
      "host all postgres ::1/128 trust",
    ]);
    expect(result.stderr).not.toContain(COMPOSE);
  });

  it("without root: installs nothing and prints the one docker compose command", async () => {
    const result = await ensureServices({
      uid: 1000,
      apt: true,
      dbPort: await freePort(),
      redisPort: await freePort(),
    });

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(COMPOSE);
    expect(result.calls.filter((call) => call.startsWith("apt-get"))).toEqual([]);
  });

  it("as root on a machine without apt-get: prints the docker compose command", async () => {
    const result = await ensureServices({ uid: 0, apt: false, dbPort: await freePort(), redisPort: await freePort() });

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(COMPOSE);
  });

  it("never installs anything for a database on another host", async () => {
    const result = await ensureServices({
      uid: 0,
      apt: true,
      dbHost: "db.internal.example",
      dbPort: await freePort(),
      redisPort: await freePort(),
    });

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("PostgreSQL at postgresql://postgres@db.internal.example");
    expect(result.calls.filter((call) => call.startsWith("apt-get"))).toEqual([]);
  });
});
