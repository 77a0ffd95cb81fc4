import { webhookAction } from "~/webhooks.server";

export const action = webhookAction("customers/data_request");
