import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, Outlet, useLoaderData, useRouteError, useRouteLoaderData } from "@remix-run/react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";

import { AppErrorPage } from "~/components/AppErrorPage";
import { AppNavMenu } from "~/components/AppNavMenu";
import { env } from "~/config/env.server";
import { authenticate } from "~/shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  // APP_BRIDGE_URL is the library's own override; the sandbox points it at the emulator's stand-in.
  // env() refuses it unless emulators are allowed and it points at this machine.
  return { apiKey: env().SHOPIFY_API_KEY, appBridgeUrl: env().APP_BRIDGE_URL ?? null };
};

export default function AppLayout() {
  const { apiKey, appBridgeUrl } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} __APP_BRIDGE_URL={appBridgeUrl ?? undefined}>
      <AppNavMenu />
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch thrown responses (auth redirects, the bounce page) and pass their
// headers through: those go to the library's boundary. Any other error of a page (the layout's
// loader succeeded) shows the app's error page inside the frame, with the nav menu.
export function ErrorBoundary() {
  const error = useRouteError();
  const layout = useRouteLoaderData<typeof loader>("routes/app");
  if (isRouteErrorResponse(error) && (error.status !== 404 || !layout)) return boundary.error(error);
  if (!layout) return boundary.error(error);
  return (
    <AppProvider isEmbeddedApp apiKey={layout.apiKey} __APP_BRIDGE_URL={layout.appBridgeUrl ?? undefined}>
      <AppNavMenu />
      <AppErrorPage status={isRouteErrorResponse(error) ? error.status : 500} />
    </AppProvider>
  );
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
