// Typed client for the /_emulator control endpoints, for tests and benchmarks that talk
// to an emulator running in another process (e.g. the sandbox's `main.ts`).
import type { RecentChat, LlmEmulatorStats, LlmFaults, LlmFaultState, LlmProfile, LlmReplyOverride } from "./types";

export class LlmEmulatorControl {
  /** Origin of the emulator, e.g. http://127.0.0.1:4020 */
  readonly origin: string;

  /** Accepts the origin or the SDK base URL (".../v1"). */
  constructor(url: string) {
    this.origin = url.replace(/\/+$/, "").replace(/\/v1$/, "");
  }

  /** Merges faults into the armed set; returns what is armed now. */
  setFaults(faults: LlmFaults): Promise<LlmFaultState> {
    return this.call("POST", "/_emulator/faults", faults);
  }

  /** The last chat completions received (at most 50, newest last): the messages that reached the model. */
  chats(): Promise<RecentChat[]> {
    return this.call("GET", "/_emulator/chats");
  }

  clearFaults(): Promise<LlmFaultState> {
    return this.call("DELETE", "/_emulator/faults");
  }

  faults(): Promise<LlmFaultState> {
    return this.call("GET", "/_emulator/faults");
  }

  stats(): Promise<LlmEmulatorStats> {
    return this.call("GET", "/_emulator/stats");
  }

  /** Arms a reply override for completions whose prompt contains `match`; returns the armed ones. */
  addOverride(override: LlmReplyOverride): Promise<LlmReplyOverride[]> {
    return this.call("POST", "/_emulator/overrides", override);
  }

  clearOverrides(): Promise<LlmReplyOverride[]> {
    return this.call("DELETE", "/_emulator/overrides");
  }

  overrides(): Promise<LlmReplyOverride[]> {
    return this.call("GET", "/_emulator/overrides");
  }

  /** Changes the provider profile (e.g. which models accept only the restrictive schema subset). */
  setProfile(profile: Partial<LlmProfile>): Promise<LlmProfile> {
    return this.call("POST", "/_emulator/profile", profile);
  }

  /** Clears faults, overrides, stats and rate-limit buckets, and restores the startup profile. */
  async reset(): Promise<void> {
    await this.call("POST", "/_emulator/reset");
  }

  /** True when the emulator answers; never throws (for readiness polling). */
  async healthy(): Promise<boolean> {
    try {
      await this.call("GET", "/_emulator/health");
      return true;
    } catch {
      return false;
    }
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.origin}${path}`, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`llm emulator ${method} ${path} failed: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }
}
