/**
 * The chat analytics, defined once (docs/decisions/026). Pure: `loadChatAnalytics` reads the rows,
 * this turns them into the figures the Analytics tab shows, each with the table behind it.
 *
 * Definitions:
 * - A conversation is a dialog, counted on the UTC day it started (createdAt).
 * - Handed off: the chat offered a person at any point (a reply with source or action "handoff"),
 *   or the shopper filed a handoff ticket from it. Handoff rate = handed off / conversations.
 * - Follow-up: another dialog of the same visitor (the signed identity a dialog is bound to) that
 *   started after this one did and no later than 24 h after this one's last message.
 * - Resolved: not handed off, no follow-up, and its last message is at least 24 h old. A dialog
 *   that is neither handed off nor followed up but whose 24 h have not passed yet is pending.
 *   Resolution rate = resolved / (resolved + unresolved): pending dialogs are left out, not counted
 *   as either. A visitor who comes back to the same dialog extends it; the window runs from its
 *   new last message.
 * - Answer sources: the chat's replies by where they came from (faq, order, policy, catalog, llm,
 *   handoff), counted on the day they were sent.
 * - p95 answer latency: the nearest-rank 95th percentile of the replies' server time (ms, from
 *   the request's arrival to the saved answer), over replies with a recorded latency.
 */

export const FOLLOW_UP_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface AnalyticsDialog {
  id: string;
  visitorKey: string;
  createdAt: Date;
  lastMessageAt: Date;
  handedOff: boolean;
}

export interface AnalyticsReply {
  createdAt: Date;
  source: string | null;
  latencyMs: number | null;
}

export type Resolution = "resolved" | "unresolved" | "pending";

/**
 * Whether a dialog was resolved. `visitorDialogs` are the same visitor's dialogs (any others are
 * ignored), including ones that started after the period.
 */
export function resolutionOf(
  dialog: AnalyticsDialog,
  visitorDialogs: readonly AnalyticsDialog[],
  now: Date,
): Resolution {
  if (dialog.handedOff) return "unresolved";
  const windowEnd = dialog.lastMessageAt.getTime() + FOLLOW_UP_WINDOW_MS;
  const followedUp = visitorDialogs.some(
    (other) =>
      other.id !== dialog.id &&
      other.visitorKey === dialog.visitorKey &&
      other.createdAt.getTime() > dialog.createdAt.getTime() &&
      other.createdAt.getTime() <= windowEnd,
  );
  if (followedUp) return "unresolved";
  return now.getTime() >= windowEnd ? "resolved" : "pending";
}

/** The nearest-rank percentile (0 < p ≤ 100) of the values, or null when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
}

export interface AnalyticsDay {
  day: string;
  conversations: number;
  handedOff: number;
  resolved: number;
  unresolved: number;
  pending: number;
  replies: number;
  p95LatencyMs: number | null;
}

export interface ChatAnalyticsFigures {
  conversations: number;
  handedOff: number;
  handoffRate: number | null;
  resolved: number;
  unresolved: number;
  pending: number;
  resolutionRate: number | null;
  replies: number;
  p95LatencyMs: number | null;
  /** Replies per source, most first. */
  sources: Array<{ source: string; replies: number; share: number }>;
  /** Every day of the range, oldest first (days with nothing show zeros). */
  days: AnalyticsDay[];
}

const utcDay = (at: Date) => at.toISOString().slice(0, 10);
const ratio = (part: number, whole: number) => (whole ? part / whole : null);

/**
 * The figures for the dialogs that started in `days` (the range's UTC days, in order) and the
 * replies sent in them. `visitorDialogs` holds, per visitor, every dialog needed to spot follow-ups.
 */
export function chatAnalyticsFigures(options: {
  days: readonly string[];
  dialogs: readonly AnalyticsDialog[];
  visitorDialogs: ReadonlyMap<string, readonly AnalyticsDialog[]>;
  replies: readonly AnalyticsReply[];
  now: Date;
}): ChatAnalyticsFigures {
  const rows = new Map<string, AnalyticsDay>(
    options.days.map((day) => [
      day,
      { day, conversations: 0, handedOff: 0, resolved: 0, unresolved: 0, pending: 0, replies: 0, p95LatencyMs: null },
    ]),
  );
  const totals = { resolved: 0, unresolved: 0, pending: 0, handedOff: 0 };
  let conversations = 0;
  for (const dialog of options.dialogs) {
    const row = rows.get(utcDay(dialog.createdAt));
    if (!row) continue;
    const resolution = resolutionOf(dialog, options.visitorDialogs.get(dialog.visitorKey) ?? [], options.now);
    conversations += 1;
    row.conversations += 1;
    row[resolution] += 1;
    totals[resolution] += 1;
    if (dialog.handedOff) {
      row.handedOff += 1;
      totals.handedOff += 1;
    }
  }
  const latencies: number[] = [];
  const latenciesByDay = new Map<string, number[]>();
  const bySource = new Map<string, number>();
  let replies = 0;
  for (const reply of options.replies) {
    const day = utcDay(reply.createdAt);
    const row = rows.get(day);
    if (!row) continue;
    replies += 1;
    row.replies += 1;
    const source = reply.source ?? "unknown";
    bySource.set(source, (bySource.get(source) ?? 0) + 1);
    if (reply.latencyMs !== null) {
      latencies.push(reply.latencyMs);
      latenciesByDay.set(day, [...(latenciesByDay.get(day) ?? []), reply.latencyMs]);
    }
  }
  for (const [day, values] of latenciesByDay) rows.get(day)!.p95LatencyMs = percentile(values, 95);
  return {
    conversations,
    handedOff: totals.handedOff,
    handoffRate: ratio(totals.handedOff, conversations),
    resolved: totals.resolved,
    unresolved: totals.unresolved,
    pending: totals.pending,
    resolutionRate: ratio(totals.resolved, totals.resolved + totals.unresolved),
    replies,
    p95LatencyMs: percentile(latencies, 95),
    sources: [...bySource]
      .map(([source, count]) => ({ source, replies: count, share: count / replies }))
      .sort((a, b) => b.replies - a.replies || a.source.localeCompare(b.source)),
    days: [...rows.values()],
  };
}
