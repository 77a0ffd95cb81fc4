// What Shopify keeps of an HTML field (a product's descriptionHtml / body_html) is not the string
// a client sent: it is parsed and serialised again, so text is entity-escaped (`&` -> `&amp;`,
// `<` -> `&lt;`), unclosed tags are closed, attributes are quoted and void tags lose their slash.
// Reads, webhooks and translatableContent all return that stored form, and the translation digest
// is the SHA-256 of it (community.shopify.dev/t/how-we-can-generate-translatablecontentdigest-locally/18641:
// "Saving $100 today & earning <5 %" is stored as "Saving $100 today &amp; earning &lt;5 %").
//
// The emulator models this with the HTML standard's own algorithms (parse5: fragment parsing, then
// the fragment serialisation algorithm), a conservative subset of what Shopify does: it never
// removes content Shopify is not documented to remove. Script and style elements and event-handler
// attributes are kept, as the Admin API does not document removing them, so an app must not trust
// a description read back from Shopify to be safe for a storefront (see docs/decisions/015).
import { parseFragment, serialize } from "parse5";

/** The HTML Shopify stores (and later returns) for `html`. Idempotent: storing it again changes nothing. */
export function storedHtml(html: string): string {
  if (html === "") return "";
  return serialize(parseFragment(html));
}
