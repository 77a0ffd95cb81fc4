import type { LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";

import { AppErrorPage } from "~/components/AppErrorPage";
import { authenticate } from "~/shopify.server";

// Any /app/* URL no page answers: a 404 inside the app's frame, after the same auth as every page.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  throw new Response("Not Found", { status: 404 });
};

export default function NotFound() {
  return <AppErrorPage status={404} />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <AppErrorPage status={404} />;
  return boundary.error(error);
}
