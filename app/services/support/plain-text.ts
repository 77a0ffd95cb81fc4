import sanitizeHtml from "sanitize-html";

/**
 * Chat answers are plain text: whatever the model or a merchant's FAQ wrote, tags are dropped and
 * entities decoded, so the widget (which renders text, never HTML) shows exactly this.
 */
export function toPlainText(text: string, maxLength = 2_000): string {
  const stripped = sanitizeHtml(text, { allowedTags: [], allowedAttributes: {}, disallowedTagsMode: "discard" });
  const decoded = stripped
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, "&");
  // Decoding can bring back a tag written as entities; drop those too.
  const clean = decoded
    .replace(/<\/?[a-z][^>]*>/gi, "")
    // A script URL is never something a shopper needs, even as text someone might paste.
    .replace(/\b(?:java|vb)script\s*:/gi, "");
  return clean
    .replace(/[ \t]+/g, " ")
    .replace(/\n{3,}/g, "\n\n")
    .trim()
    .slice(0, maxLength);
}
