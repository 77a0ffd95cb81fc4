import type { LoaderFunctionArgs } from "@remix-run/node";

import { authenticate } from "~/shopify.server";

// App proxy (/apps/storewise/* on the storefront). Every call is signature-checked by the library,
// which answers 400/401 to a bad or stale signature. Capabilities add their own /proxy/* routes.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.public.appProxy(request);
  return Response.json({ error: "Not found" }, { status: 404 });
};

export const action = loader;
