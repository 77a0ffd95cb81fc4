import { webhookAction } from "~/integrations/shopify/webhook-intake.server";

export const action = webhookAction("products/update");
