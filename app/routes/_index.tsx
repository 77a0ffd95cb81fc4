import { redirect, type LoaderFunctionArgs } from "@remix-run/node";

// Shopify opens the app at its root; the embedded admin lives under /app.
export const loader = ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return new Response("Storewise is a Shopify app. Open it from your Shopify admin.", {
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
};
