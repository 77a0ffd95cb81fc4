// Links into the merchant's theme editor. An app embed block is off after install; Shopify's
// documented deep link opens the current theme's editor on App embeds with the block activated,
// for the merchant to save: https://<shop>/admin/themes/current/editor?context=apps&activateAppId=
// <api_key>/<block handle> ("Deep linking" for app embed blocks,
// https://shopify.dev/docs/apps/build/online-store/theme-app-extensions/configuration).
// <shop> is the .myshopify.com domain, <api_key> the app's client id, and the handle the block's
// file name in extensions/<extension>/blocks/ without .liquid.

/** extensions/support-chat/blocks/support-chat.liquid: the storefront chat's app embed. */
export const SUPPORT_CHAT_EMBED_HANDLE = "support-chat";

export function themeEditorAppEmbedUrl({
  shop,
  apiKey,
  handle,
}: {
  shop: string;
  apiKey: string;
  handle: string;
}): string {
  const url = new URL(`https://${shop}/admin/themes/current/editor`);
  url.searchParams.set("context", "apps");
  url.searchParams.set("activateAppId", `${apiKey}/${handle}`);
  // URLSearchParams encodes the "/" the documented link carries literally.
  return url.toString().replace("%2F", "/");
}
