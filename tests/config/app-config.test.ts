import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import { parse as parseToml } from "smol-toml";
import { describe, expect, inject, it } from "vitest";

import { ADMIN_API_VERSION } from "~/config/api-version";
import { ENV_KEYS, parseEnv } from "~/config/env.server";
import { WEBHOOK_TOPICS } from "~/integrations/shopify/webhook-topics.server";
import { startWorker } from "../support/processes";

const ROOT = path.resolve(import.meta.dirname, "../..");
const tomlText = readFileSync(path.join(ROOT, "shopify.app.toml"), "utf8");

interface Subscription {
  topics?: string[];
  compliance_topics?: string[];
  uri: string;
}
const toml = parseToml(tomlText) as unknown as {
  webhooks: { api_version: string; subscriptions: Subscription[] };
  app_proxy: { url: string; prefix: string; subpath: string };
  access_scopes: { scopes: string };
  embedded: boolean;
};

describe("shopify.app.toml", () => {
  it("pins the same Admin API version as the code", () => {
    expect(toml.webhooks.api_version).toBe(ADMIN_API_VERSION);
    expect(ADMIN_API_VERSION).toBe("2026-10");
  });

  it("subscribes every handled topic, compliance included, at /webhooks/<topic>", () => {
    const declared = toml.webhooks.subscriptions.flatMap((subscription) =>
      [...(subscription.topics ?? []), ...(subscription.compliance_topics ?? [])].map((topic) => ({
        topic,
        uri: subscription.uri,
      })),
    );
    expect(declared.map((entry) => entry.topic).sort()).toEqual([...WEBHOOK_TOPICS].sort());
    for (const { topic, uri } of declared) expect(uri).toBe(`/webhooks/${topic}`);
    const compliance = toml.webhooks.subscriptions.flatMap((subscription) => subscription.compliance_topics ?? []);
    expect(compliance.sort()).toEqual(["customers/data_request", "customers/redact", "shop/redact"]);
  });

  it("says which route handles each webhook, and that route exists", () => {
    const handledBy = [...tomlText.matchAll(/# Handled by: (app\/routes\/\S+)/g)].map((match) => match[1] ?? "");
    for (const topic of WEBHOOK_TOPICS) {
      const route = `app/routes/webhooks.${topic.replace("/", ".")}.ts`;
      expect(handledBy).toContain(route);
      expect(existsSync(path.join(ROOT, route))).toBe(true);
    }
  });

  it("configures the embedded app and the storefront proxy", () => {
    expect(toml.embedded).toBe(true);
    expect(toml.app_proxy).toEqual({ url: "/proxy", prefix: "apps", subpath: "storewise" });
    expect(toml.access_scopes.scopes.split(",")).toContain("write_app_proxy");
  });

  it("asks for the same scopes as .env.example", () => {
    const example = readFileSync(path.join(ROOT, ".env.example"), "utf8");
    expect(example).toContain(`SCOPES=${toml.access_scopes.scopes}\n`);
  });
});

describe("environment validation", () => {
  const valid = {
    SHOPIFY_API_KEY: "key",
    SHOPIFY_API_SECRET: "secret",
    SHOPIFY_APP_URL: "https://app.example.com",
    OPENAI_API_KEY: "sk-test",
  };

  it("applies the documented defaults", () => {
    const env = parseEnv(valid);
    expect(env.DATABASE_URL).toBe("postgresql://postgres@127.0.0.1:5432/storewise");
    expect(env.REDIS_URL).toBe("redis://127.0.0.1:6379");
  });

  it("fails fast with one readable message naming every bad key", () => {
    expect(() => parseEnv({ SHOPIFY_APP_URL: "not a url" })).toThrowError(
      /SHOPIFY_API_KEY is required[\s\S]*SHOPIFY_API_SECRET is required[\s\S]*SHOPIFY_APP_URL must be[\s\S]*OPENAI_API_KEY is required/,
    );
  });

  describe("emulator overrides (they receive access and refresh tokens)", () => {
    const emulator = "http://127.0.0.1:4010";
    const overrides = {
      SHOPIFY_ADMIN_ORIGIN_OVERRIDE: emulator,
      APP_BRIDGE_URL: `${emulator}/cdn/app-bridge.js`,
    };

    it.each(Object.keys(overrides))("%s is refused without STOREWISE_ALLOW_EMULATORS", (key) => {
      const value = overrides[key as keyof typeof overrides];
      expect(() => parseEnv({ ...valid, NODE_ENV: "development", [key]: value })).toThrowError(
        new RegExp(`${key} is a dev/test-only emulator override: set STOREWISE_ALLOW_EMULATORS=1`),
      );
    });

    it.each(Object.keys(overrides))("%s is refused in production even with the flag", (key) => {
      const value = overrides[key as keyof typeof overrides];
      expect(() =>
        parseEnv({ ...valid, NODE_ENV: "production", STOREWISE_ALLOW_EMULATORS: "1", [key]: value }),
      ).toThrowError(new RegExp(`${key} is a dev/test-only emulator override and is refused in production`));
    });

    it.each([
      "https://evil.example.com",
      "http://10.0.0.5:4010",
      "http://127.0.0.1.evil.example.com:4010",
      "http://localhost.evil.example.com",
      "http://[::2]:4010",
      "file:///etc/passwd",
    ])("a non-loopback target %s is refused, even with the flag", (target) => {
      for (const key of Object.keys(overrides)) {
        expect(() =>
          parseEnv({ ...valid, NODE_ENV: "development", STOREWISE_ALLOW_EMULATORS: "1", [key]: target }),
        ).toThrowError(new RegExp(`${key} must point at this machine`));
      }
    });

    it.each(["http://127.0.0.1:4010", "http://127.8.9.10:4010", "http://localhost:4010", "http://[::1]:4010"])(
      "a loopback target %s is accepted with the flag outside production",
      (target) => {
        const parsed = parseEnv({
          ...valid,
          NODE_ENV: "test",
          STOREWISE_ALLOW_EMULATORS: "1",
          SHOPIFY_ADMIN_ORIGIN_OVERRIDE: target,
          APP_BRIDGE_URL: `${target}/cdn/app-bridge.js`,
        });
        expect(parsed.SHOPIFY_ADMIN_ORIGIN_OVERRIDE).toBe(target);
        expect(parsed.APP_BRIDGE_URL).toBe(`${target}/cdn/app-bridge.js`);
      },
    );

    it("the image pins NODE_ENV=production for every command, web and worker", () => {
      const dockerfile = readFileSync(path.join(ROOT, "Dockerfile"), "utf8");
      const entrypoint = /^ENTRYPOINT (.+)$/m.exec(dockerfile)?.[1] ?? "";
      expect(JSON.parse(entrypoint)).toEqual(["/usr/bin/tini", "--", "env", "NODE_ENV=production"]);
      // .env.example (copied to .env) must not opt in by itself.
      const example = readFileSync(path.join(ROOT, ".env.example"), "utf8");
      expect(example).toMatch(/^STOREWISE_ALLOW_EMULATORS=$/m);
    });
  });

  describe("the worker process with an emulator override", () => {
    const base = () => ({ ...inject("appEnv"), WORKER_METRICS_PORT: "0" });
    // A worker that does start (the test failing) must not stay behind taking other tests' jobs.
    const startWorkerOrStop = async (env: Record<string, string>) => {
      const worker = await startWorker(env);
      await worker.stop();
      return worker;
    };

    it("refuses to start in production, even with the flag, and says why", async () => {
      await expect(startWorkerOrStop({ ...base(), NODE_ENV: "production" })).rejects.toThrow(
        /SHOPIFY_ADMIN_ORIGIN_OVERRIDE is a dev\/test-only emulator override and is refused in production/,
      );
    });

    it("refuses to start without the flag, as with a copied .env", async () => {
      await expect(
        startWorkerOrStop({ ...base(), NODE_ENV: "development", STOREWISE_ALLOW_EMULATORS: "" }),
      ).rejects.toThrow(
        /SHOPIFY_ADMIN_ORIGIN_OVERRIDE is a dev\/test-only emulator override: set STOREWISE_ALLOW_EMULATORS=1/,
      );
    });
  });

  it("refuses to serve the worker's /metrics beyond loopback without METRICS_TOKEN", () => {
    expect(parseEnv(valid).WORKER_METRICS_HOST).toBe("127.0.0.1");
    expect(() => parseEnv({ ...valid, WORKER_METRICS_HOST: "0.0.0.0" })).toThrowError(
      /WORKER_METRICS_HOST serves the worker's \/metrics beyond this machine, so METRICS_TOKEN is required/,
    );
    expect(
      parseEnv({ ...valid, WORKER_METRICS_HOST: "0.0.0.0", METRICS_TOKEN: "a-token-of-16-chars-or-more" })
        .WORKER_METRICS_HOST,
    ).toBe("0.0.0.0");
  });

  it("documents every key in .env.example", () => {
    const example = readFileSync(path.join(ROOT, ".env.example"), "utf8");
    for (const key of ENV_KEYS)
      expect(example, `${key} missing from .env.example`).toMatch(new RegExp(`^${key}=`, "m"));
  });
});
