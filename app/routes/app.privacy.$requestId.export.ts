import type { LoaderFunctionArgs } from "@remix-run/node";

import { prisma } from "~/db.server";
import { loadDataRequestExport } from "~/services/compliance/list-data-requests.server";
import { authenticate } from "~/shopify.server";

// Resource route: the Privacy page's Download button fetches the export with the session token.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const found = await loadDataRequestExport({ db: prisma, shop: session.shop, requestId: params.requestId ?? "" });
  if (!found) return Response.json({ error: "No such data request." }, { status: 404 });
  return new Response(JSON.stringify(found.data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${found.filename}"`,
      "Cache-Control": "no-store",
    },
  });
};
