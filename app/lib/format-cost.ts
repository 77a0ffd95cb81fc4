/**
 * An estimated AI cost as a merchant should read it: never "$0.00" for work that cost something,
 * since that reads as free or broken. Browser-safe (the admin pages format with it).
 */
export function formatCost(usd: number | null, tokens: number): string {
  if (usd === null) return "cost unknown for this model";
  if (tokens === 0) return "nothing spent yet";
  if (usd === 0) return "$0";
  if (usd < 0.01) return "< $0.01";
  return `≈ $${usd.toFixed(2)}`;
}
