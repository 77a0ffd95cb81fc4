/**
 * Polls `check` until it returns something truthy, for effects that happen in another process
 * (a worker, a webhook delivery). On timeout the error carries `context()`, e.g. the worker's log.
 */
export async function eventually<T>(
  check: () => Promise<T | null | undefined | false>,
  options: { timeoutMs?: number; context?: () => string } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms\n${options.context?.() ?? ""}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
