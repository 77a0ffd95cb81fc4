import type { AdminClient } from "~/integrations/shopify/admin-client.server";
import type {
  BulkOperationStatusQuery,
  BulkOperationStatusQueryVariables,
  CancelBulkOperationMutation,
  CancelBulkOperationMutationVariables,
  StartBulkQueryMutation,
  StartBulkQueryMutationVariables,
} from "~/integrations/shopify/admin-operations.generated";
import { AppError } from "~/lib/errors";

// Bulk operations read a whole connection in the background and leave one JSONL file
// (https://shopify.dev/docs/api/usage/bulk-operations/queries). The catalog and order exports
// both run on these three documents.

const START_BULK_QUERY = `#graphql
  mutation StartBulkQuery($query: String!) {
    bulkOperationRunQuery(query: $query) {
      bulkOperation {
        id
        status
      }
      userErrors {
        field
        message
      }
    }
  }
`;

const BULK_OPERATION_STATUS = `#graphql
  query BulkOperationStatus($id: ID!) {
    node(id: $id) {
      ... on BulkOperation {
        id
        status
        errorCode
        objectCount
        url
      }
    }
  }
`;

const CANCEL_BULK_OPERATION = `#graphql
  mutation CancelBulkOperation($id: ID!) {
    bulkOperationCancel(id: $id) {
      bulkOperation {
        id
        status
      }
      userErrors {
        field
        message
      }
    }
  }
`;

type PayloadOf<M> = NonNullable<M[keyof M]>;

/** The inner query of a bulk operation cannot take variables, so a search string is written into it as a GraphQL string. */
export function withSearch(document: string, search: string): string {
  return document.replace('"__SEARCH__"', JSON.stringify(search));
}

/** Starts a bulk query; returns the operation's id. */
export async function startBulkQuery(admin: AdminClient, query: string): Promise<string> {
  const payload = await admin.mutate<PayloadOf<StartBulkQueryMutation>>(
    START_BULK_QUERY,
    { query } satisfies StartBulkQueryMutationVariables,
    "bulkOperationRunQuery",
  );
  if (!payload.bulkOperation) {
    throw new AppError("ADMIN_API_GRAPHQL_ERROR", "bulkOperationRunQuery returned no operation");
  }
  return payload.bulkOperation.id;
}

export type BulkOperationState =
  | { status: "running"; objectCount: number }
  /** `url` is null when the query matched nothing. */
  | { status: "completed"; url: string | null }
  | { status: "failed"; reason: string }
  | { status: "canceled" }
  | { status: "gone" };

export async function bulkOperation(admin: AdminClient, id: string): Promise<BulkOperationState> {
  const { node } = await admin.request<BulkOperationStatusQuery>(BULK_OPERATION_STATUS, {
    id,
  } satisfies BulkOperationStatusQueryVariables);
  // An id of anything but a bulk operation selects no fields.
  if (!node || !("status" in node)) return { status: "gone" };
  if (node.status === "CREATED" || node.status === "RUNNING" || node.status === "CANCELING") {
    return { status: "running", objectCount: Number(node.objectCount) };
  }
  if (node.status === "CANCELED") return { status: "canceled" };
  if (node.status !== "COMPLETED") return { status: "failed", reason: node.errorCode ?? node.status };
  return { status: "completed", url: node.url ?? null };
}

export async function cancelBulkOperation(admin: AdminClient, id: string): Promise<void> {
  await admin.mutate<PayloadOf<CancelBulkOperationMutation>>(
    CANCEL_BULK_OPERATION,
    { id } satisfies CancelBulkOperationMutationVariables,
    "bulkOperationCancel",
  );
}

/** Reads a bulk operation's JSONL file line by line, so a large export never sits in memory twice. */
export async function readJsonl(url: string, onLine: (value: unknown) => void): Promise<void> {
  // A stalled download must not hold a worker slot forever; the job reading it retries.
  const response = await fetch(url, { signal: AbortSignal.timeout(10 * 60_000) });
  if (!response.ok || !response.body) {
    throw new AppError("ADMIN_API_HTTP_ERROR", `bulk operation download answered HTTP ${response.status}`, {
      retryable: true,
      userMessage: "An export could not be downloaded from Shopify; it will be tried again.",
    });
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let rest = "";
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    const lines = (rest + chunk.value).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) if (line.trim()) onLine(JSON.parse(line));
  }
  if (rest.trim()) onLine(JSON.parse(rest));
}
