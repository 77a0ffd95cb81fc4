import { PassThrough } from "node:stream";

import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";

import { prisma } from "~/db.server";
import { allowEmulatorAdminToFrame } from "~/integrations/shopify/admin-origin.server";
import { closeQueues } from "~/jobs/queues.server";
import { logger } from "~/lib/logger.server";
import { closeSharedRedis } from "~/lib/redis.server";
import { addDocumentResponseHeaders } from "~/shopify.server";

export const streamTimeout = 5_000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  allowEmulatorAdminToFrame(responseHeaders);
  const userAgent = request.headers.get("user-agent");
  const readyEvent = userAgent && isbot(userAgent) ? "onAllReady" : "onShellReady";

  return new Promise<Response>((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [readyEvent]() {
        const body = new PassThrough();
        responseHeaders.set("Content-Type", "text/html");
        resolve(
          new Response(createReadableStreamFromReadable(body), {
            headers: responseHeaders,
            status: responseStatusCode,
          }),
        );
        pipe(body);
      },
      onShellError(error) {
        reject(error);
      },
      onError(error) {
        responseStatusCode = 500;
        console.error(error);
      },
    });
    setTimeout(abort, streamTimeout + 1_000);
  });
}

/** Called by server.ts on SIGTERM once in-flight requests are done. */
export async function closeResources(): Promise<void> {
  await closeQueues().catch((error: unknown) => logger.warn({ err: error }, "queues did not close cleanly"));
  await closeSharedRedis();
  await prisma.$disconnect();
}
