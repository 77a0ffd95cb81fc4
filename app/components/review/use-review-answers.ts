import { useFetchers } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { useCallback, useEffect, useRef, useState } from "react";

import { versionOfFetcher, type ReviewResult } from "~/components/review/ReviewCard";

/**
 * The review cards' approve / reject, as the page tracks them. A card is out of the list from the
 * click (its fetcher is in flight) and after the server accepted it (an approved draft stays a
 * draft until its publish job runs); a refused one comes back with the reason. Each answer is a
 * toast, shown by the page: a rejected card is gone from the reloaded list before its fetcher is
 * idle, and a refused card may be too (handled elsewhere).
 */
export function useReviewAnswers() {
  const shopify = useAppBridge();
  const reviews = useFetchers().flatMap((fetcher) => {
    const versionId = versionOfFetcher(fetcher.key);
    const result = fetcher.data as ReviewResult | undefined;
    return versionId ? [{ versionId, pending: Boolean(fetcher.formData), result }] : [];
  });
  const pending = new Set(reviews.filter((review) => review.pending).map((review) => review.versionId));
  const [answers, setAnswers] = useState<ReadonlyMap<string, ReviewResult>>(new Map());
  const onAnswer = useCallback(
    (versionId: string, result: ReviewResult) => setAnswers((known) => new Map(known).set(versionId, result)),
    [],
  );
  const toasted = useRef(new WeakSet<ReviewResult>());
  const results = reviews.flatMap((review) => (review.result ? [review.result] : []));
  useEffect(() => {
    for (const result of results) {
      if (toasted.current.has(result)) continue;
      toasted.current.add(result);
      if (result.message) shopify.toast.show(result.message);
      else if (result.error) shopify.toast.show(result.error, { isError: true });
    }
  }, [results, shopify]);
  return {
    handled: (versionId: string) => pending.has(versionId) || Boolean(answers.get(versionId)?.message),
    errorOf: (versionId: string) => answers.get(versionId)?.error ?? null,
    onAnswer,
  };
}
