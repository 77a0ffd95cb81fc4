import type { PrismaClient } from "@prisma/client";

import { recordInstallation } from "~/services/shops/record-installation.server";
import type { EmulatorControl } from "../emulators/shopify/control-client";
import type { ShopInput } from "../emulators/shopify/state";

export interface SeedShopOptions extends Omit<ShopInput, "accessToken"> {
  accessToken: string;
  /** Make the offline token expire (and give it a refresh token), as Shopify's expiring tokens do. */
  expiresInSec?: number;
  refreshToken?: string;
  scopes?: string[];
}

/**
 * Installs the app on a shop the way Shopify would leave it: the shop exists in the emulator with
 * a valid offline token, and the app holds the matching offline session and shop record.
 */
export async function seedShop(control: EmulatorControl, db: PrismaClient, options: SeedShopOptions) {
  const { expiresInSec, refreshToken, ...shopInput } = options;
  const scopes = options.scopes ?? (process.env.SCOPES ?? "").split(",").filter(Boolean);
  await control.createShop({ ...shopInput, scopes: scopes.length ? scopes : undefined });
  let expires: Date | null = null;
  if (expiresInSec !== undefined) {
    const token = await control.registerToken(options.shop, {
      accessToken: options.accessToken,
      expiresIn: expiresInSec,
      refreshToken,
    });
    expires = token.expiresAt ? new Date(token.expiresAt) : null;
  }
  const session = {
    shop: options.shop,
    state: "",
    isOnline: false,
    scope: scopes.join(",") || null,
    accessToken: options.accessToken,
    expires,
    refreshToken: refreshToken ?? null,
    refreshTokenExpires: refreshToken ? new Date(Date.now() + 90 * 24 * 3600 * 1000) : null,
  };
  await db.session.upsert({
    where: { id: `offline_${options.shop}` },
    create: { id: `offline_${options.shop}`, ...session },
    update: session,
  });
  await recordInstallation({ db, shop: options.shop, scopes: session.scope });
}
