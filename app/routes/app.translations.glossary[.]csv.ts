import type { LoaderFunctionArgs } from "@remix-run/node";

import { prisma } from "~/db.server";
import { exportGlossaryCsv } from "~/services/translations/glossary-csv.server";
import { authenticate } from "~/shopify.server";

// Resource route: the translation settings' Export button fetches it with the session token.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { filename, csv } = await exportGlossaryCsv({ db: prisma, shop: session.shop });
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
};
