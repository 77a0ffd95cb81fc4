import { Tabs } from "@shopify/polaris";

/** The Support chat page's tabs: one nav entry, one title, a tab per part (docs/decisions/026). */
export const SUPPORT_TABS = [
  { id: "analytics", content: "Analytics", url: "/app/support/analytics" },
  { id: "transcripts", content: "Transcripts", url: "/app/support/transcripts" },
  { id: "tickets", content: "Tickets", url: "/app/support/tickets" },
  { id: "faq", content: "FAQ", url: "/app/support/faq" },
  { id: "settings", content: "Settings", url: "/app/support/settings" },
] as const;

export type SupportTabId = (typeof SUPPORT_TABS)[number]["id"];

/** The nav label, which is also every tab's title-bar title (decision 021). */
export const SUPPORT_TITLE = "Support chat";

/**
 * The tabs as links (Polaris renders a tab with a url through the app's Remix Link), so each tab
 * keeps its own URL and the browser's back button works.
 */
export function SupportTabs({ selected }: { selected: SupportTabId }) {
  return (
    <Tabs
      tabs={SUPPORT_TABS.map((tab) => ({ ...tab, panelID: `support-${tab.id}` }))}
      selected={SUPPORT_TABS.findIndex((tab) => tab.id === selected)}
    />
  );
}
