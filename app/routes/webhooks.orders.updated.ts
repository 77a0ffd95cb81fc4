import { webhookAction } from "~/integrations/shopify/webhook-intake.server";

export const action = webhookAction("orders/updated");
