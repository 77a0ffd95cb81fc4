import { Link } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";

/** The app's pages; each label is also the page's title-bar title. */
export const APP_PAGES = [
  { url: "/app", label: "Home" },
  { url: "/app/review", label: "Review copy" },
  { url: "/app/content", label: "Product copy" },
  { url: "/app/bulk-runs", label: "Bulk runs" },
  { url: "/app/translations", label: "Translations" },
  // One entry for the chat: its page's tabs are Analytics, Transcripts, Tickets, FAQ and Settings.
  { url: "/app/support", label: "Support chat" },
  { url: "/app/insights", label: "Insights" },
  { url: "/app/settings", label: "Settings" },
  { url: "/app/privacy", label: "Privacy requests" },
] as const;

/** App Bridge's nav menu: the first link (rel="home") is the app's home, not shown as a link. */
export function AppNavMenu() {
  return (
    <NavMenu>
      {APP_PAGES.map((page, index) => (
        <Link key={page.url} to={page.url} rel={index === 0 ? "home" : undefined}>
          {page.label}
        </Link>
      ))}
    </NavMenu>
  );
}
