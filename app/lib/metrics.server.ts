import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** One registry per process (web and worker each expose their own /metrics). */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const webhookIntakeDuration = new Histogram({
  name: "storewise_webhook_intake_duration_seconds",
  help: "Time from a webhook's arrival to its answer, by topic and status",
  labelNames: ["topic", "status"] as const,
  buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

export const webhooksReceived = new Counter({
  name: "storewise_webhooks_received_total",
  help: "Webhooks received, by topic and outcome (queued, duplicate, unavailable, invalid)",
  labelNames: ["topic", "outcome"] as const,
  registers: [registry],
});

export const jobsProcessed = new Counter({
  name: "storewise_jobs_total",
  help: "Jobs finished by queue, job name and outcome",
  labelNames: ["queue", "name", "outcome"] as const,
  registers: [registry],
});

export const adminRequests = new Counter({
  name: "storewise_admin_api_requests_total",
  help: "Admin GraphQL API requests by outcome (ok, throttled, http_error, graphql_error, network_error, token_error)",
  labelNames: ["outcome"] as const,
  registers: [registry],
});

export const adminPoints = new Counter({
  name: "storewise_admin_api_points_total",
  help: "Admin API cost points actually spent",
  registers: [registry],
});

export const adminThrottles = new Counter({
  name: "storewise_admin_api_throttled_total",
  help: "THROTTLED or 429 answers received from the Admin API (each is retried)",
  registers: [registry],
});

export const adminPacingWait = new Histogram({
  name: "storewise_admin_api_pacing_wait_seconds",
  help: "Time spent waiting for the shop's cost bucket before sending a request",
  buckets: [0, 0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10],
  registers: [registry],
});

export const llmRequests = new Counter({
  name: "storewise_llm_requests_total",
  help: "LLM requests by task and outcome (ok, retried, failed, circuit_open, invalid_output, refused)",
  labelNames: ["task", "outcome"] as const,
  registers: [registry],
});

export const llmTokens = new Counter({
  name: "storewise_llm_tokens_total",
  help: "LLM tokens by task and kind (prompt, completion)",
  labelNames: ["task", "kind"] as const,
  registers: [registry],
});

export const llmLatency = new Histogram({
  name: "storewise_llm_request_duration_seconds",
  help: "LLM request duration by task",
  labelNames: ["task"] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
  registers: [registry],
});

export const llmCircuitOpen = new Gauge({
  name: "storewise_llm_circuit_open",
  help: "1 while the LLM circuit breaker is open or half-open",
  registers: [registry],
});

export const supportChatTurns = new Histogram({
  name: "storewise_support_chat_turn_duration_seconds",
  help: "Support chat turns answered, by where the answer came from and what it asks the widget to do",
  labelNames: ["source", "action"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const supportChatRefused = new Counter({
  name: "storewise_support_chat_refused_total",
  help: "Support chat requests refused, by reason (rate_limited_visitor, rate_limited_shop, dialog_not_found)",
  labelNames: ["reason"] as const,
  registers: [registry],
});
