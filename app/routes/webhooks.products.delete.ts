import { webhookAction } from "~/webhooks.server";

export const action = webhookAction("products/delete");
