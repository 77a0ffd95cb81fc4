/** What `withTimeout` rejects with once its time is up. */
export class TimeoutError extends Error {
  override name = "TimeoutError";
}

/**
 * `work`'s outcome, or a TimeoutError (with `message`) once `ms` have passed. A rejection of
 * `work` is passed on as thrown: callers tell a timeout from the work's own failure (the Shopify
 * library throws Responses, for one). The work itself is not cancelled, only no longer waited for.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, message = `timed out after ${ms} ms`): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutError(message)), Math.max(0, ms));
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
