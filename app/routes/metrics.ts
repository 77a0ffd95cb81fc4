import type { LoaderFunctionArgs } from "@remix-run/node";

import { env } from "~/config/env.server";
import { metricsResponse } from "~/lib/metrics-endpoint.server";
import { registry } from "~/lib/metrics.server";

export const loader = ({ request }: LoaderFunctionArgs) =>
  metricsResponse(registry, request.headers.get("authorization"), env().METRICS_TOKEN);
