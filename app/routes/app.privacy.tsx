import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, Banner, BlockStack, Button, Card, EmptyState, IndexTable, Page, Text } from "@shopify/polaris";
import { useState } from "react";

import { prisma } from "~/db.server";
import { listDataRequests, type DataRequestStatus } from "~/services/compliance/list-data-requests.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { requests: await listDataRequests({ db: prisma, shop: session.shop }) };
};

const BADGE: Record<DataRequestStatus, { tone?: "success" | "info"; label: string }> = {
  ready: { tone: "success", label: "Ready" },
  processing: { tone: "info", label: "Processing" },
  erased: { label: "Erased (customer redacted)" },
};

/** Downloads through fetch, which App Bridge signs with the session token (a plain link is not). */
async function download(id: string): Promise<void> {
  const response = await fetch(`/app/privacy/${encodeURIComponent(id)}/export`);
  if (!response.ok) throw new Error(`download failed (${response.status})`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = `storewise-data-request-${id}.json`;
  link.click();
  URL.revokeObjectURL(url);
}

export default function Privacy() {
  const { requests } = useLoaderData<typeof loader>();
  const [error, setError] = useState<string | null>(null);
  return (
    <Page>
      <TitleBar title="Privacy requests" />
      <BlockStack gap="400">
        <Text as="p" tone="subdued">
          When a customer asks your store for their data, Shopify sends Storewise a data request. Download the export
          here and send it to the customer. Requests to erase a customer or your store are carried out automatically.
        </Text>
        {error ? (
          <Banner tone="critical" onDismiss={() => setError(null)}>
            <p>{error}</p>
          </Banner>
        ) : null}
        <Card padding="0">
          {requests.length === 0 ? (
            <EmptyState heading="No data requests" image="">
              <p>Customers' data requests appear here, ready to download, as Shopify sends them.</p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: "data request", plural: "data requests" }}
              itemCount={requests.length}
              selectable={false}
              headings={[{ title: "Received" }, { title: "Customer" }, { title: "Status" }, { title: "Export" }]}
            >
              {requests.map((request, index) => (
                <IndexTable.Row id={request.id} key={request.id} position={index}>
                  <IndexTable.Cell>{new Date(request.receivedAt).toLocaleString()}</IndexTable.Cell>
                  <IndexTable.Cell>
                    {request.customerId ? `Customer ${request.customerId}` : "—"}
                    {request.dataRequestId ? (
                      <Text as="span" tone="subdued">{` · request ${request.dataRequestId}`}</Text>
                    ) : null}
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Badge tone={BADGE[request.status].tone}>{BADGE[request.status].label}</Badge>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    {request.status === "ready" ? (
                      <Button
                        onClick={() =>
                          download(request.id).catch(() => setError("The export could not be downloaded. Try again."))
                        }
                      >
                        Download (JSON)
                      </Button>
                    ) : null}
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </Card>
      </BlockStack>
    </Page>
  );
}
