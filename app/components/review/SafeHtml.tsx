import { Box } from "@shopify/polaris";

import "~/components/review/description.css";

/**
 * A product description drawn as the storefront would show it. Only HTML that went through
 * displayableHtml (copy/sanitize.ts) may come here: the callers sanitise, this only draws.
 */
export function SafeHtml({ html, label }: { html: string; label: string }) {
  return (
    <Box background="bg-surface-secondary" padding="300" borderRadius="200">
      <div className="storewise-description" aria-label={label} dangerouslySetInnerHTML={{ __html: html }} />
    </Box>
  );
}
