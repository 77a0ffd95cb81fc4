import { mintSessionToken } from "../emulators/shopify/session-token";
import { TEST_API_KEY, TEST_API_SECRET } from "./test-env";

/** A desktop browser's user agent: the library answers 410 to bots. */
const BROWSER_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

/**
 * Calls an admin route as App Bridge does from inside Shopify admin: a Remix single-fetch data
 * request (`<path>.data`) carrying a fresh session token for `shop`, signed with the app secret.
 * A form turns it into an action call.
 */
export async function adminRequest(
  appUrl: string,
  shop: string,
  path: string,
  form?: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const url = new URL(path, appUrl);
  const index = url.searchParams.has("index");
  url.pathname = `${url.pathname.replace(/\/$/, "")}.data`;
  if (index) url.searchParams.set("index", "");
  const response = await fetch(url, {
    method: form ? "POST" : "GET",
    redirect: "manual",
    headers: {
      Authorization: `Bearer ${mintSessionToken({ shop, apiKey: TEST_API_KEY, secret: TEST_API_SECRET })}`,
      "User-Agent": BROWSER_UA,
      ...(form ? { "Content-Type": "application/x-www-form-urlencoded" } : {}),
    },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  return { status: response.status, body: await response.text() };
}
