import { BlockStack, Box, Card, DataTable, InlineGrid, List, Text } from "@shopify/polaris";

import type { CardCell, MetricCard } from "~/services/insights/load-cross-capability.server";

const regionName = (code: string) => {
  if (!code) return "Unknown country";
  try {
    return new Intl.DisplayNames(["en"], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
};
const languageName = (code: string) => {
  if (!code) return "Not recorded";
  try {
    return new Intl.DisplayNames(["en"], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
};

/**
 * The cross-capability section: one card per metric the loader returns (load-cross-capability),
 * each with its figures, its caveats in plain sight, and the table behind it.
 */
export function MetricCards({
  cards,
  format,
}: {
  cards: MetricCard[];
  format: (value: number | null, unit: "money" | "count" | "ratio") => string;
}) {
  const cell = (c: CardCell) => {
    if (c.kind === "text") return c.value;
    if (c.kind === "country") return regionName(c.value);
    if (c.kind === "language") return languageName(c.value);
    if (c.kind === "day")
      return new Date(`${c.value}T00:00:00Z`).toLocaleDateString("en-US", {
        month: "short",
        day: "numeric",
        year: "numeric",
        timeZone: "UTC",
      });
    return format(c.value, c.kind);
  };
  return (
    <section aria-label="Sales and your Storewise work">
      <BlockStack gap="400">
        <Text as="h2" variant="headingLg">
          Sales and your Storewise work
        </Text>
        <InlineGrid columns={{ xs: 1, lg: 2 }} gap="400">
          {cards.map((card) => (
            <section key={card.id} aria-label={card.title} data-card={card.id}>
              <Card>
                <BlockStack gap="300">
                  <Text as="h3" variant="headingMd">
                    {card.title}
                  </Text>
                  <Text as="p" tone="subdued" variant="bodySm">
                    {card.description}
                  </Text>
                  <InlineGrid columns={{ xs: 2, sm: Math.min(card.figures.length, 4) as 1 | 2 | 3 | 4 }} gap="300">
                    {card.figures.map((figure) => (
                      <BlockStack key={figure.id} gap="050">
                        <Text as="p" variant="bodySm" tone="subdued">
                          {figure.label}
                        </Text>
                        <Text as="p" variant="headingLg">
                          <span data-metric={figure.id}>
                            {figure.unit === "ratio" && figure.id.endsWith("_change") && figure.value !== null
                              ? `${figure.value > 0 ? "+" : figure.value < 0 ? "−" : ""}${format(Math.abs(figure.value), "ratio")}`
                              : format(figure.value, figure.unit)}
                          </span>
                        </Text>
                      </BlockStack>
                    ))}
                  </InlineGrid>
                  {card.table ? (
                    <DataTable
                      columnContentTypes={card.table.headings.map((_, i) =>
                        ["money", "count", "ratio"].includes(card.table!.rows[0]?.[i]?.kind ?? "text")
                          ? "numeric"
                          : "text",
                      )}
                      headings={card.table.headings}
                      rows={card.table.rows.map((row) => row.map(cell))}
                    />
                  ) : null}
                  {card.empty ? (
                    <Text as="p" tone="subdued">
                      {card.empty}
                    </Text>
                  ) : null}
                  {card.caveats.length ? (
                    <Box background="bg-surface-secondary" padding="300" borderRadius="200">
                      <BlockStack gap="100">
                        <Text as="p" variant="bodySm" fontWeight="semibold">
                          Read with care
                        </Text>
                        <List type="bullet">
                          {card.caveats.map((caveat) => (
                            <List.Item key={caveat}>
                              <Text as="span" variant="bodySm">
                                {caveat}
                              </Text>
                            </List.Item>
                          ))}
                        </List>
                      </BlockStack>
                    </Box>
                  ) : null}
                </BlockStack>
              </Card>
            </section>
          ))}
        </InlineGrid>
      </BlockStack>
    </section>
  );
}
