import { redirect, type LoaderFunctionArgs } from "@remix-run/node";

import { authenticate } from "~/shopify.server";

// The nav's "Support chat" opens the Analytics tab; the query (embedded, host, shop) rides along.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return redirect(`/app/support/analytics${new URL(request.url).search}`);
};
