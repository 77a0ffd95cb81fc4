import type { Db } from "~/services/types";

export type DataRequestStatus = "processing" | "ready" | "erased";

export interface DataRequestSummary {
  id: string;
  receivedAt: string;
  /** Shopify's customer id, kept until the customer (or the shop) is redacted. */
  customerId: string | null;
  /** Shopify's id of the data request, as the merchant sees it in the customer's page. */
  dataRequestId: string | null;
  records: number | null;
  status: DataRequestStatus;
}

interface StoredExport {
  redacted?: boolean;
  dataRequestId?: string | null;
}

function statusOf(request: { completedAt: Date | null; export: unknown }): DataRequestStatus {
  if ((request.export as StoredExport | null)?.redacted) return "erased";
  return request.completedAt ? "ready" : "processing";
}

/**
 * customers/data_request: the shop's requests, newest first. Shopify asks the app to give the
 * data to the store owner, who hands it to the customer; this is what the Privacy page lists.
 */
export async function listDataRequests({ db, shop }: { db: Db; shop: string }): Promise<DataRequestSummary[]> {
  const requests = await db.complianceRequest.findMany({
    where: { shopDomain: shop, topic: "CUSTOMERS_DATA_REQUEST" },
    orderBy: { receivedAt: "desc" },
    take: 250,
  });
  return requests.map((request) => ({
    id: request.id,
    receivedAt: request.receivedAt.toISOString(),
    customerId: request.customerRef,
    dataRequestId: (request.export as StoredExport | null)?.dataRequestId ?? null,
    records: Number((request.summary as { records?: unknown } | null)?.records ?? NaN) || null,
    status: statusOf(request),
  }));
}

/**
 * One ready export of the shop, for download. Another shop's request, one still processing and
 * one erased by customers/redact are all "not found": the caller answers 404.
 */
export async function loadDataRequestExport({ db, shop, requestId }: { db: Db; shop: string; requestId: string }) {
  const request = await db.complianceRequest.findFirst({
    where: { id: requestId, shopDomain: shop, topic: "CUSTOMERS_DATA_REQUEST" },
  });
  if (!request || statusOf(request) !== "ready") return null;
  return {
    filename: `storewise-data-request-${request.id}.json`,
    data: {
      shop,
      receivedAt: request.receivedAt.toISOString(),
      completedAt: request.completedAt?.toISOString() ?? null,
      ...(request.export as Record<string, unknown>),
    },
  };
}
