import type { LlmTextResult } from "~/integrations/llm/types";

/**
 * Text deltas of a streamed chat answer. Iterate it once (`for await`), then `await result()`
 * for the full text and the billed usage. Stopping early (break, or `cancel()` before reading)
 * aborts the request and frees its concurrency slot; `result()` then rejects.
 */
export class LlmTextStream implements AsyncIterable<string> {
  private readonly settled: Promise<LlmTextResult>;
  private resolve!: (result: LlmTextResult) => void;
  private reject!: (error: unknown) => void;
  private started = false;

  constructor(
    private readonly source: AsyncGenerator<string, LlmTextResult>,
    private readonly onCancel: () => void,
  ) {
    this.settled = new Promise<LlmTextResult>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // Callers who only iterate never look at result(); its rejection must not go unhandled.
    this.settled.catch(() => undefined);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<string, void, undefined> {
    if (this.started) throw new Error("an LLM stream can only be read once");
    this.started = true;
    let settled = false;
    try {
      const result = yield* this.source;
      settled = true;
      this.resolve(result);
    } catch (error) {
      settled = true;
      this.reject(error);
      throw error;
    } finally {
      if (!settled) {
        this.onCancel();
        this.reject(new Error("LLM stream was not read to the end"));
      }
    }
  }

  /** Full text, usage and model; settles once the stream has been read to the end (or failed). */
  result(): Promise<LlmTextResult> {
    return this.settled;
  }

  /** Reads everything and returns the result (for callers that do not need the deltas). */
  async readAll(): Promise<LlmTextResult> {
    for await (const _delta of this) {
      // Deltas are accumulated by the client; nothing to do with each one here.
    }
    return this.settled;
  }

  /** Abandons a stream that will not be read (or is being read and should stop). */
  cancel(): void {
    if (!this.started) {
      this.started = true;
      this.onCancel();
      this.reject(new Error("LLM stream was cancelled"));
      void this.source.return(undefined as never);
      return;
    }
    this.onCancel();
  }
}
