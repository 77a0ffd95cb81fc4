// Fault injection state. Counters model "the next N requests"; `down` and `latencyMs`
// persist until cleared. Validated with zod because the control API takes them as JSON.
import { z } from "zod";
import type { LlmFaultState, LlmFaults } from "./types";

const count = z.number().int().min(0);

export const faultsSchema = z
  .object({
    latencyMs: z.number().min(0).optional(),
    status429: count.optional(),
    retryAfterSeconds: z.number().min(0).optional(),
    status500: count.optional(),
    status503: count.optional(),
    timeout: count.optional(),
    down: z.boolean().optional(),
    insufficientQuota: z.boolean().optional(),
    invalidJson: count.optional(),
    streamStall: count.optional(),
    streamDrop: count.optional(),
  })
  .strict();

export type RequestFault = "down" | "timeout" | "429" | "500" | "503";

const DEFAULTS: LlmFaultState = {
  latencyMs: 0,
  status429: 0,
  retryAfterSeconds: 1,
  status500: 0,
  status503: 0,
  timeout: 0,
  down: false,
  insufficientQuota: false,
  invalidJson: 0,
  streamStall: 0,
  streamDrop: 0,
};

export class FaultState {
  private state: LlmFaultState = { ...DEFAULTS };

  /** Merges the given fields (throws a ZodError on bad input). */
  set(faults: LlmFaults): LlmFaultState {
    const parsed = faultsSchema.parse(faults);
    for (const [key, value] of Object.entries(parsed)) {
      if (value !== undefined) (this.state as unknown as Record<string, unknown>)[key] = value;
    }
    return this.snapshot();
  }

  clear(): void {
    this.state = { ...DEFAULTS };
  }

  snapshot(): LlmFaultState {
    return { ...this.state };
  }

  get latencyMs(): number {
    return this.state.latencyMs;
  }

  /** The account is out of credit: completions and embeddings answer 429 insufficient_quota. */
  get insufficientQuota(): boolean {
    return this.state.insufficientQuota;
  }

  get retryAfterSeconds(): number {
    return this.state.retryAfterSeconds;
  }

  /** The fault this request gets, consuming one unit of its counter. */
  take(): RequestFault | null {
    const s = this.state;
    if (s.down) return "down";
    if (s.timeout > 0) {
      s.timeout--;
      return "timeout";
    }
    if (s.status429 > 0) {
      s.status429--;
      return "429";
    }
    if (s.status500 > 0) {
      s.status500--;
      return "500";
    }
    if (s.status503 > 0) {
      s.status503--;
      return "503";
    }
    return null;
  }

  /** How this stream breaks off, if at all (consumes one unit; stall wins over drop). */
  takeStreamFault(): "stall" | "drop" | null {
    if (this.state.streamStall > 0) {
      this.state.streamStall--;
      return "stall";
    }
    if (this.state.streamDrop > 0) {
      this.state.streamDrop--;
      return "drop";
    }
    return null;
  }

  /** Whether this structured reply must fail its schema (consumes one unit). */
  takeInvalidJson(): boolean {
    if (this.state.invalidJson <= 0) return false;
    this.state.invalidJson--;
    return true;
  }
}
