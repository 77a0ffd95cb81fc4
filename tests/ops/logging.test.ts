import { describe, expect, it } from "vitest";

import { createLogger } from "~/lib/logger.server";

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ write: (line: string) => void lines.push(line) });
  // Tests run the app at LOG_LEVEL=warn; this test reads info lines too.
  logger.level = "info";
  return { logger, lines };
}

const SECRETS = {
  shopifyToken: "shpat_0123456789abcdef",
  hmac: "c2lnbmF0dXJlLW9mLXRoZS1ib2R5",
  clientSecret: "shpss_client_secret_value",
  refreshSnake: "shprt_refresh_snake",
  refreshCamel: "shprt_refresh_camel",
  accessCamel: "shpat_access_camel",
  accessSnake: "shpat_access_snake",
  email: "deep.customer@example.com",
  phone: "+15550100222",
  idToken: "eyJhbGciOiJIUzI1NiJ9.payload.signature",
  errorToken: "shpat_from_an_error",
  bodyRefresh: "shprt_inside_a_response_body",
  bearer: "Bearer metrics-or-session-token",
};

describe("log redaction", () => {
  it("keeps secrets and customer contact details out of every line, at any depth", () => {
    const { logger, lines } = capture();
    logger.info(
      {
        shop: "visible-shop.myshopify.com",
        request: {
          url: `https://app.example.com/auth/callback?shop=visible-shop.myshopify.com&id_token=${SECRETS.idToken}`,
          headers: {
            "X-Shopify-Access-Token": SECRETS.shopifyToken,
            "X-Shopify-Hmac-Sha256": SECRETS.hmac,
            Authorization: SECRETS.bearer,
          },
        },
        body: {
          client_secret: SECRETS.clientSecret,
          one: {
            two: {
              three: {
                refresh_token: SECRETS.refreshSnake,
                refreshToken: SECRETS.refreshCamel,
                accessToken: SECRETS.accessCamel,
                access_token: SECRETS.accessSnake,
                customer: { id: 42, email: SECRETS.email, phone: SECRETS.phone },
              },
            },
          },
        },
      },
      "token exchange",
    );
    const error = Object.assign(new Error("Admin API answered 401"), {
      response: {
        status: 401,
        headers: { "x-shopify-access-token": SECRETS.errorToken },
        body: JSON.stringify({ refresh_token: SECRETS.bodyRefresh, email: SECRETS.email }),
      },
    });
    logger.error({ err: error, job: { data: { customer: { email: SECRETS.email } } } }, "refresh failed");

    const output = lines.join("");
    for (const [name, secret] of Object.entries(SECRETS)) expect(output, name).not.toContain(secret);
    // Still valid JSON, and what is not secret stays readable.
    interface Line {
      shop: string;
      body: { one: { two: { three: { customer: unknown } } } };
      request: { url: string; headers: Record<string, string> };
      err: { message: string; response: { status: number } };
    }
    const [info, failure] = lines.map((line) => JSON.parse(line) as Line);
    expect(info?.shop).toBe("visible-shop.myshopify.com");
    expect(info?.body.one.two.three.customer).toEqual({ id: 42, email: "[redacted]", phone: "[redacted]" });
    expect(info?.request.headers["X-Shopify-Access-Token"]).toBe("[redacted]");
    expect(info?.request.url).toContain("shop=visible-shop.myshopify.com");
    expect(failure?.err.message).toBe("Admin API answered 401");
    expect(failure?.err.response.status).toBe(401);
  });
});
