import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, Card, EmptyState, IndexTable, Link, Page, Text } from "@shopify/polaris";

import { prisma } from "~/db.server";
import { listProductContent } from "~/services/content/product-history.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const rows = await listProductContent({ db: prisma, shop: session.shop });
  return { rows: rows.map((row) => ({ ...row, updatedAt: row.updatedAt.toISOString() })) };
};

const TONE = {
  LIVE: "success",
  DRAFT: "attention",
  SKIPPED: undefined,
  PAUSED: "warning",
  FAILED: "critical",
  PENDING: "info",
} as const;

export default function ProductCopyIndex() {
  const { rows } = useLoaderData<typeof loader>();
  return (
    <Page>
      <TitleBar title="Product copy" />
      <Card padding="0">
        {rows.length === 0 ? (
          <EmptyState heading="No product copy yet" image="">
            <p>Copy appears here as products are created.</p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: "product", plural: "products" }}
            itemCount={rows.length}
            selectable={false}
            headings={[{ title: "Product" }, { title: "Status" }, { title: "Versions" }, { title: "Updated" }]}
          >
            {rows.map((row, index) => (
              <IndexTable.Row id={row.id} key={row.id} position={index}>
                <IndexTable.Cell>
                  <Link url={`/app/content/${row.id}`}>{row.title || "Untitled product"}</Link>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={TONE[row.status]}>{row.status.toLowerCase()}</Badge>
                  {row.skippedReason ? <Text as="span" tone="subdued">{` ${row.skippedReason}`}</Text> : null}
                </IndexTable.Cell>
                <IndexTable.Cell>{row._count.versions}</IndexTable.Cell>
                <IndexTable.Cell>{new Date(row.updatedAt).toLocaleString()}</IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
    </Page>
  );
}
