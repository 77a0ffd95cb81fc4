/**
 * One attempt's timeout as an AbortSignal that also follows the caller's signal. Owning the
 * timer (rather than the SDK's `timeout`, which stops at the response headers) lets it cover
 * reading the body, and lets streams restart it on every chunk.
 */
export class Deadline {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private expired = false;
  private stopped = false;
  private readonly detachParent?: () => void;

  constructor(
    private readonly ms: number,
    private readonly parent?: AbortSignal,
    private readonly onExpire?: () => void,
  ) {
    this.signal = this.controller.signal;
    if (parent) {
      const follow = () => this.controller.abort(parent.reason);
      if (parent.aborted) follow();
      else {
        parent.addEventListener("abort", follow, { once: true });
        this.detachParent = () => parent.removeEventListener("abort", follow);
      }
    }
    this.restart();
  }

  /** Our timer fired (as opposed to the caller cancelling). */
  get timedOut(): boolean {
    return this.expired;
  }

  /** The caller's signal fired, or abort() was called: nothing to blame the service for. */
  get cancelled(): boolean {
    return !this.expired && (this.stopped || this.parent?.aborted === true);
  }

  restart(): void {
    if (this.signal.aborted) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.expired = true;
      this.controller.abort(new Error(`LLM request timed out after ${this.ms} ms`));
      this.onExpire?.();
    }, this.ms);
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.detachParent?.();
  }

  /** Aborts the request on purpose (e.g. the consumer stopped reading a stream). */
  abort(): void {
    this.clear();
    if (this.signal.aborted) return;
    this.stopped = true;
    this.controller.abort(new Error("LLM request cancelled"));
  }
}
