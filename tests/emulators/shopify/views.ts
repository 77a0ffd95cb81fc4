// GraphQL-facing views over the in-memory records. graphql-js reads a property or calls a
// method `(args, ctx, info)` named after each field; anything a view does not define falls
// back to a type-correct default in resolvers.ts. `__typename` lets abstract types (Node,
// Media, HasMetafields…) resolve.
import { createHash } from "node:crypto";
import { GraphQLError } from "graphql";
import { paginate, type ConnectionArgs } from "./connection";
import type { ResolverContext } from "./context";
import { lineDiscountAllocations } from "./discounts";
import { metafieldJsonValue } from "./metafields";
import { plainText } from "./products";
import {
  gid,
  optionValueHasVariants,
  type AddressRecord,
  type BulkOperationRecord,
  type CollectionRecord,
  type CustomerRecord,
  type FulfillmentRecord,
  type ImageRecord,
  type LineItemRecord,
  type MetafieldRecord,
  type OrderRecord,
  type RefundRecord,
  type ProductRecord,
  type ShopRecord,
  type VariantRecord,
} from "./state";
import { PLAN_LIMITS } from "./bucket";
import { orderStatusUrl } from "./payloads";
import {
  contentOf,
  isModelledResourceType,
  listResourceTranslations,
  listTranslations,
  translatableById,
  type Translatable,
} from "./translations";

type Args = Record<string, unknown>;

const byPosition = <T>(items: readonly T[]) => items;
const idKey = (item: { id: number }) => ({ id: item.id, value: item.id });

function moneyV2(amount: string, currencyCode: string) {
  return { amount, currencyCode };
}
function moneyBag(amount: string, currencyCode: string, presentment?: { currency: string; rate: number }) {
  const m = moneyV2(amount, currencyCode);
  if (!presentment) return { shopMoney: m, presentmentMoney: m };
  return {
    shopMoney: m,
    presentmentMoney: moneyV2((Number(amount) * presentment.rate).toFixed(2), presentment.currency),
  };
}

/** An order's amount in the shop's currency and in the one the buyer paid in. */
function orderMoney(o: OrderRecord, amount: string) {
  return moneyBag(amount, o.currency, { currency: o.presentmentCurrency, rate: o.presentmentRate });
}
function count(n: number) {
  return { count: n, precision: "EXACT" };
}

// ------------------------------------------------------------------ protected customer data
// https://shopify.dev/docs/apps/launch/protected-customer-data: "GraphQL requests to unapproved
// types will return an HTTP 200 Ok response with an error message in the errors hash", and
// unapproved fields come back null with an error naming them. Level 1 unlocks the Order and
// Customer objects; level 2 also the name, address, email and phone fields (and, since 2024-03-15,
// Order.statusPageUrl: shopify.dev/changelog/level-2-protected-customer-data-requirements-are-now-needed-to-access-the-order-statuspageurl-field).

function customerDataUrl(shop: ShopRecord): string {
  return `https://partners.shopify.com/${shop.id}/apps/1/customer_data`;
}

function accessDenied(shop: ShopRecord, message: string): GraphQLError {
  return new GraphQLError(`${message} See ${customerDataUrl(shop)} for more details.`, {
    extensions: {
      code: "ACCESS_DENIED",
      documentation: "https://shopify.dev/docs/apps/launch/protected-customer-data",
    },
  });
}

/** Throws unless the app may see `type` (Order, Customer…) at all: level 1 or 2. */
export function requireCustomerData(shop: ShopRecord, type: string): void {
  if (shop.customerDataAccess === "none")
    throw accessDenied(shop, `This app is not approved to access the ${type} object.`);
}

/** A protected customer field: its value at level 2, else an ACCESS_DENIED error (null in `data`). */
function protectedField<T>(shop: ShopRecord, message: string, value: T): T {
  if (shop.customerDataAccess !== "level2") throw accessDenied(shop, message);
  return value;
}

export class MailingAddressView {
  readonly __typename = "MailingAddress";
  readonly coordinatesValidated = false;
  constructor(
    private readonly _shop: ShopRecord,
    private readonly _a: AddressRecord,
    private readonly _id: number,
  ) {}
  private guard<T>(value: T): T {
    return protectedField(this._shop, "This app is not approved to access the MailingAddress object.", value);
  }
  get id() {
    return gid("MailingAddress", this._id);
  }
  get firstName() {
    return this.guard(this._a.firstName);
  }
  get lastName() {
    return this.guard(this._a.lastName);
  }
  get name() {
    return this.guard([this._a.firstName, this._a.lastName].filter(Boolean).join(" ") || null);
  }
  get address1() {
    return this.guard(this._a.address1);
  }
  get address2() {
    return this.guard(this._a.address2);
  }
  get zip() {
    return this.guard(this._a.zip);
  }
  get phone() {
    return this.guard(this._a.phone);
  }
  get latitude() {
    return this.guard(this._a.latitude);
  }
  get longitude() {
    return this.guard(this._a.longitude);
  }
  formatted() {
    const a = this._a;
    return this.guard(
      [a.address1, a.address2, [a.city, a.provinceCode, a.zip].filter(Boolean).join(" "), a.country].filter(
        (line): line is string => Boolean(line),
      ),
    );
  }
  get company() {
    return this._a.company;
  }
  get city() {
    return this._a.city;
  }
  get province() {
    return this._a.province;
  }
  get provinceCode() {
    return this._a.provinceCode;
  }
  get country() {
    return this._a.country;
  }
  get countryCodeV2() {
    return this._a.countryCode;
  }
  get formattedArea() {
    return [this._a.city, this._a.provinceCode, this._a.country].filter(Boolean).join(", ") || null;
  }
}

/**
 * `translations(locale:)` on a translatable object (Metafield, MediaImage, ProductOption,
 * ProductOptionValue): the same translations translatableResource lists for its GID.
 */
function objectTranslations(resourceId: string) {
  return (args: Args, ctx: ResolverContext) => {
    if (args.marketId) throw unmodelledArgument("translations", "marketId");
    const t = translatableById(ctx.shop, resourceId);
    return t ? listResourceTranslations(ctx.shop, t, args.locale as string) : [];
  };
}

export class MetafieldView {
  readonly __typename = "Metafield";
  constructor(
    private readonly _m: MetafieldRecord,
    private readonly _owner: unknown,
    readonly ownerType: string,
  ) {}
  get id() {
    return gid("Metafield", this._m.id);
  }
  get legacyResourceId() {
    return String(this._m.id);
  }
  get namespace() {
    return this._m.namespace;
  }
  get key() {
    return this._m.key;
  }
  get type() {
    return this._m.type;
  }
  get value() {
    return this._m.value;
  }
  get jsonValue() {
    return metafieldJsonValue(this._m);
  }
  get createdAt() {
    return this._m.createdAt;
  }
  get updatedAt() {
    return this._m.updatedAt;
  }
  get compareDigest() {
    return createHash("sha256").update(`${this._m.value}\u0000${this._m.updatedAt}`).digest("hex");
  }
  get owner() {
    return this._owner;
  }
  get sizeInBytes() {
    return Buffer.byteLength(this._m.value);
  }
  get definition() {
    return null;
  }
  translations(args: Args, ctx: ResolverContext) {
    return objectTranslations(this.id)(args, ctx);
  }
}

function metafieldConnection(
  list: MetafieldRecord[],
  owner: unknown,
  ownerType: string,
  args: Args,
  ctx: ResolverContext,
) {
  const keys = args.keys as string[] | undefined;
  const filtered = list.filter(
    (m) => (!args.namespace || m.namespace === args.namespace) && (!keys || keys.includes(`${m.namespace}.${m.key}`)),
  );
  return paginate(filtered, args as ConnectionArgs, idKey, (m) => new MetafieldView(m, owner, ownerType), {
    bulk: ctx.bulk,
  });
}

function findMetafield(list: MetafieldRecord[], args: Args): MetafieldRecord | undefined {
  // `key` may be "namespace.key" when namespace is omitted (Shopify accepts both forms).
  let ns = args.namespace as string | undefined;
  let key = args.key as string;
  if (!ns && key.includes(".")) [ns, key] = [key.slice(0, key.lastIndexOf(".")), key.slice(key.lastIndexOf(".") + 1)];
  return list.find((m) => m.key === key && (ns ? m.namespace === ns : m.namespace === "app--1"));
}

export class ImageView {
  readonly __typename = "Image";
  constructor(private readonly _i: ImageRecord) {}
  get id() {
    return gid("ProductImage", this._i.imageId);
  }
  get altText() {
    return this._i.altText;
  }
  url() {
    return this._i.url;
  }
  get src() {
    return this._i.url;
  }
  get originalSrc() {
    return this._i.url;
  }
  transformedSrc() {
    return this._i.url;
  }
  get width() {
    return this._i.width;
  }
  get height() {
    return this._i.height;
  }
  metafields(args: Args, ctx: ResolverContext) {
    return metafieldConnection([], this, "PRODUCTIMAGE", args, ctx);
  }
  translations() {
    return [];
  }
}

export class MediaImageView {
  readonly __typename = "MediaImage";
  readonly mediaContentType = "IMAGE";
  readonly status = "READY";
  readonly fileStatus = "READY";
  readonly mimeType = "image/jpeg";
  readonly mediaErrors = [];
  readonly mediaWarnings = [];
  readonly fileErrors = [];
  constructor(private readonly _i: ImageRecord) {}
  get id() {
    return gid("MediaImage", this._i.id);
  }
  get alt() {
    return this._i.altText;
  }
  get image() {
    return new ImageView(this._i);
  }
  get preview() {
    return { image: new ImageView(this._i), status: "READY" };
  }
  get createdAt() {
    return this._i.createdAt;
  }
  get updatedAt() {
    return this._i.createdAt;
  }
  translations(args: Args, ctx: ResolverContext) {
    return objectTranslations(this.id)(args, ctx);
  }
}

export class VariantView {
  readonly __typename = "ProductVariant";
  readonly availableForSale = true;
  readonly taxable = true;
  readonly inventoryPolicy = "DENY";
  readonly requiresComponents = false;
  readonly showUnitPrice = false;
  constructor(
    private readonly _shop: ShopRecord,
    private readonly _p: ProductRecord,
    private readonly _v: VariantRecord,
  ) {}
  get id() {
    return gid("ProductVariant", this._v.id);
  }
  get legacyResourceId() {
    return String(this._v.id);
  }
  get title() {
    return this._v.title;
  }
  get displayName() {
    return `${this._p.title} - ${this._v.title}`;
  }
  get sku() {
    return this._v.sku;
  }
  get barcode() {
    return this._v.barcode;
  }
  get price() {
    return this._v.price;
  }
  get compareAtPrice() {
    return this._v.compareAtPrice;
  }
  get position() {
    return this._v.position;
  }
  get inventoryQuantity() {
    return this._v.inventoryQuantity;
  }
  get sellableOnlineQuantity() {
    return this._v.inventoryQuantity;
  }
  get selectedOptions() {
    return this._v.selectedOptions.map((o) => {
      const opt = this._p.options.find((x) => x.name === o.name);
      const val = opt?.values.find((x) => x.name === o.value);
      return {
        name: o.name,
        value: o.value,
        optionValue: {
          __typename: "ProductOptionValue",
          id: gid("ProductOptionValue", val?.id ?? 0),
          name: o.value,
          hasVariants: true,
          translations: objectTranslations(gid("ProductOptionValue", val?.id ?? 0)),
        },
      };
    });
  }
  get inventoryItem() {
    return {
      __typename: "InventoryItem",
      id: gid("InventoryItem", this._v.inventoryItemId),
      sku: this._v.sku,
      tracked: true,
      requiresShipping: true,
      legacyResourceId: String(this._v.inventoryItemId),
    };
  }
  get product() {
    return new ProductView(this._shop, this._p);
  }
  get createdAt() {
    return this._v.createdAt;
  }
  get updatedAt() {
    return this._v.updatedAt;
  }
  get image() {
    return null;
  }
  metafields(args: Args, ctx: ResolverContext) {
    return metafieldConnection([], this, "PRODUCTVARIANT", args, ctx);
  }
  metafield() {
    return null;
  }
  translations() {
    return [];
  }
}

export class ProductView {
  readonly __typename = "Product";
  readonly isGiftCard = false;
  readonly requiresSellingPlan = false;
  readonly tracksInventory = true;
  readonly hasVariantsThatRequiresComponents = false;
  readonly giftCardTemplateSuffix = null;
  readonly category = null;
  readonly combinedListingRole = null;
  constructor(
    private readonly _shop: ShopRecord,
    readonly _p: ProductRecord,
  ) {}
  get id() {
    return gid("Product", this._p.id);
  }
  get legacyResourceId() {
    return String(this._p.id);
  }
  get title() {
    return this._p.title;
  }
  get handle() {
    return this._p.handle;
  }
  get vendor() {
    return this._p.vendor;
  }
  get productType() {
    return this._p.productType;
  }
  get customProductType() {
    return this._p.productType || null;
  }
  get tags() {
    return this._p.tags;
  }
  get status() {
    return this._p.status;
  }
  get descriptionHtml() {
    return this._p.descriptionHtml;
  }
  get bodyHtml() {
    return this._p.descriptionHtml;
  }
  description(args: Args) {
    const text = plainText(this._p.descriptionHtml);
    const at = args.truncateAt as number | undefined;
    return at && text.length > at ? `${text.slice(0, Math.max(0, at - 3))}...` : text;
  }
  get descriptionPlainSummary() {
    return plainText(this._p.descriptionHtml);
  }
  get seo() {
    return { title: this._p.seo.title, description: this._p.seo.description };
  }
  get templateSuffix() {
    return this._p.templateSuffix;
  }
  get createdAt() {
    return this._p.createdAt;
  }
  get updatedAt() {
    return this._p.updatedAt;
  }
  get publishedAt() {
    return this._p.publishedAt;
  }
  get onlineStoreUrl() {
    return this._p.status === "ACTIVE" && this._p.publishedAt
      ? `https://${this._shop.domain}/products/${this._p.handle}`
      : null;
  }
  get onlineStorePreviewUrl() {
    return `https://${this._shop.domain}/products/${this._p.handle}`;
  }
  get defaultCursor() {
    return Buffer.from(JSON.stringify({ last_id: this._p.id, last_value: this._p.id })).toString("base64");
  }
  get totalInventory() {
    return this._p.variants.reduce((s, v) => s + v.inventoryQuantity, 0);
  }
  get totalVariants() {
    return this._p.variants.length;
  }
  get variantsCount() {
    return count(this._p.variants.length);
  }
  get mediaCount() {
    return count(this._p.images.length);
  }
  get hasOnlyDefaultVariant() {
    return this._p.variants.length === 1 && this._p.options.length === 1 && this._p.options[0]?.name === "Title";
  }
  get hasOutOfStockVariants() {
    return this._p.variants.some((v) => v.inventoryQuantity <= 0);
  }
  get priceRangeV2() {
    const prices = this._p.variants.map((v) => Number(v.price));
    const c = this._shop.currencyCode;
    const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : "0.00");
    return {
      minVariantPrice: moneyV2(fmt(Math.min(...prices)), c),
      maxVariantPrice: moneyV2(fmt(Math.max(...prices)), c),
    };
  }
  get priceRange() {
    return this.priceRangeV2;
  }
  options(args: Args) {
    const first = args.first as number | undefined;
    const opts = first ? this._p.options.slice(0, first) : this._p.options;
    return opts.map((o) => ({
      __typename: "ProductOption",
      id: gid("ProductOption", o.id),
      name: o.name,
      position: o.position,
      // `values` lists only the values some variant has; `optionValues` lists every value, and
      // says which have variants (productCreate with productOptions creates only the first
      // combination as a variant, shopify.dev/docs/api/admin-graphql/latest/mutations/productCreate).
      values: o.values.filter((v) => optionValueHasVariants(this._p, o.name, v.name)).map((v) => v.name),
      optionValues: o.values.map((v) => ({
        __typename: "ProductOptionValue",
        id: gid("ProductOptionValue", v.id),
        name: v.name,
        hasVariants: optionValueHasVariants(this._p, o.name, v.name),
        translations: objectTranslations(gid("ProductOptionValue", v.id)),
      })),
      translations: objectTranslations(gid("ProductOption", o.id)),
    }));
  }
  variants(args: Args, ctx: ResolverContext) {
    const list = args.reverse ? [...this._p.variants].reverse() : this._p.variants;
    return paginate(byPosition(list), args as ConnectionArgs, idKey, (v) => new VariantView(this._shop, this._p, v), {
      bulk: ctx.bulk,
    });
  }
  media(args: Args, ctx: ResolverContext) {
    return paginate(this._p.images, args as ConnectionArgs, idKey, (i) => new MediaImageView(i), { bulk: ctx.bulk });
  }
  images(args: Args, ctx: ResolverContext) {
    return paginate(
      this._p.images,
      args as ConnectionArgs,
      (i) => ({ id: i.imageId, value: i.imageId }),
      (i) => new ImageView(i),
      { bulk: ctx.bulk },
    );
  }
  get featuredImage() {
    const img = this._p.images[0];
    return img ? new ImageView(img) : null;
  }
  get featuredMedia() {
    const img = this._p.images[0];
    return img ? new MediaImageView(img) : null;
  }
  collections(args: Args, ctx: ResolverContext) {
    return paginate(this._p.collections, args as ConnectionArgs, idKey, collectionView, { bulk: ctx.bulk });
  }
  inCollection(args: Args) {
    return this._p.collections.some((c) => gid("Collection", c.id) === args.id);
  }
  metafields(args: Args, ctx: ResolverContext) {
    return metafieldConnection(this._p.metafields, this, "PRODUCT", args, ctx);
  }
  metafield(args: Args) {
    const m = findMetafield(this._p.metafields, args);
    return m ? new MetafieldView(m, this, "PRODUCT") : null;
  }
  translations(args: Args) {
    return listTranslations(this._shop, this._p, args.locale as string);
  }
}

export class CustomerView {
  readonly __typename = "Customer";
  readonly state = "DISABLED";
  readonly verifiedEmail = true;
  constructor(
    private readonly _shop: ShopRecord,
    private readonly _c: CustomerRecord,
  ) {
    requireCustomerData(_shop, "Customer");
  }
  // The Admin API answers an unapproved customer field with this object-level message
  // (the example under "GraphQL Admin API request with unapproved fields").
  private guard<T>(value: T): T {
    return protectedField(this._shop, "This app is not approved to access the Customer object.", value);
  }
  get locale() {
    return this._c.locale ?? this._shop.locales.find((l) => l.primary)?.locale ?? "en";
  }
  get createdAt() {
    return this._c.createdAt;
  }
  get updatedAt() {
    return this._c.updatedAt;
  }
  get defaultAddress() {
    return this.guard(this._c.defaultAddress && new MailingAddressView(this._shop, this._c.defaultAddress, this._c.id));
  }
  get addresses() {
    return this.guard(
      this._c.defaultAddress ? [new MailingAddressView(this._shop, this._c.defaultAddress, this._c.id)] : [],
    );
  }
  get defaultPhoneNumber() {
    return this.guard(this._c.phone ? { phoneNumber: this._c.phone, marketingState: "NOT_SUBSCRIBED" } : null);
  }
  get id() {
    return gid("Customer", this._c.id);
  }
  get legacyResourceId() {
    return String(this._c.id);
  }
  get email() {
    return this.guard(this._c.email);
  }
  get phone() {
    return this.guard(this._c.phone);
  }
  get firstName() {
    return this.guard(this._c.firstName);
  }
  get lastName() {
    return this.guard(this._c.lastName);
  }
  get displayName() {
    return this.guard([this._c.firstName, this._c.lastName].filter(Boolean).join(" ") || this._c.email || "");
  }
  get defaultEmailAddress() {
    return this.guard(this._c.email ? { emailAddress: this._c.email, marketingState: "NOT_SUBSCRIBED" } : null);
  }
  get numberOfOrders() {
    return String([...this._shop.orders.values()].filter((o) => o.customer?.id === this._c.id).length);
  }
  get amountSpent() {
    const total = [...this._shop.orders.values()]
      .filter((o) => o.customer?.id === this._c.id)
      .reduce((s, o) => s + Number(o.totalPrice), 0);
    return moneyV2(total.toFixed(2), this._shop.currencyCode);
  }
}

export class LineItemView {
  readonly __typename = "LineItem";
  readonly requiresShipping = true;
  readonly taxable = true;
  readonly isGiftCard = false;
  readonly merchantEditable = true;
  constructor(
    private readonly _shop: ShopRecord,
    private readonly _o: OrderRecord,
    private readonly _li: LineItemRecord,
  ) {}
  get id() {
    return gid("LineItem", this._li.id);
  }
  get title() {
    return this._li.title;
  }
  get name() {
    return this._li.title;
  }
  get quantity() {
    return this._li.quantity;
  }
  get currentQuantity() {
    return this._li.quantity;
  }
  get unfulfilledQuantity() {
    return this._o.fulfillmentStatus === "FULFILLED" ? 0 : this._li.quantity;
  }
  get refundableQuantity() {
    const refunded = this._o.refunds.flatMap((r) => r.lines).filter((l) => l.lineItemId === this._li.id);
    return this._li.quantity - refunded.reduce((sum, l) => sum + l.quantity, 0);
  }
  get sku() {
    return this._li.sku;
  }
  get vendor() {
    return this._li.vendor;
  }
  get variantTitle() {
    return null;
  }
  get originalUnitPriceSet() {
    return orderMoney(this._o, this._li.price);
  }
  get discountedUnitPriceSet() {
    return orderMoney(this._o, this._li.price);
  }
  get originalTotalSet() {
    return orderMoney(this._o, (Number(this._li.price) * this._li.quantity).toFixed(2));
  }
  // Only line-level discounts (the emulator has none); order-level ones are discountAllocations.
  get discountedTotalSet() {
    return this.originalTotalSet;
  }
  get totalDiscountSet() {
    return orderMoney(this._o, "0.00");
  }
  get discountAllocations() {
    return (lineDiscountAllocations(this._o).get(this._li.id) ?? []).map((a) => ({
      __typename: "DiscountAllocation",
      allocatedAmountSet: orderMoney(this._o, a.amount),
      discountApplication: {
        __typename: "DiscountCodeApplication",
        code: a.code,
        index: a.applicationIndex,
        allocationMethod: "ACROSS",
        targetSelection: "ALL",
        targetType: "LINE_ITEM",
      },
    }));
  }
  get product() {
    const p = this._li.productId ? this._shop.products.get(this._li.productId) : undefined;
    return p ? new ProductView(this._shop, p) : null;
  }
  get variant() {
    const p = this._li.productId ? this._shop.products.get(this._li.productId) : undefined;
    const v = p?.variants.find((x) => x.id === this._li.variantId);
    return p && v ? new VariantView(this._shop, p, v) : null;
  }
}

export class FulfillmentView {
  readonly __typename = "Fulfillment";
  readonly requiresShipping = true;
  constructor(
    private readonly _o: OrderRecord,
    private readonly _f: FulfillmentRecord,
    private readonly _index: number,
  ) {}
  get id() {
    return gid("Fulfillment", this._f.id);
  }
  get legacyResourceId() {
    return String(this._f.id);
  }
  get name() {
    return `${this._o.name}-F${this._index + 1}`;
  }
  get status() {
    return this._f.status;
  }
  get displayStatus() {
    return this._f.status === "SUCCESS" ? "FULFILLED" : this._f.status === "CANCELLED" ? "CANCELED" : null;
  }
  get createdAt() {
    return this._f.createdAt;
  }
  get updatedAt() {
    return this._f.updatedAt;
  }
  get totalQuantity() {
    return this._o.lineItems.reduce((s, li) => s + li.quantity, 0);
  }
  trackingInfo(args: Args) {
    const first = args.first as number | undefined;
    return first ? this._f.trackingInfo.slice(0, first) : this._f.trackingInfo;
  }
}

/** https://shopify.dev/docs/api/admin-graphql/latest/objects/Refund */
export class RefundView {
  readonly __typename = "Refund";
  constructor(
    private readonly _shop: ShopRecord,
    private readonly _o: OrderRecord,
    private readonly _r: RefundRecord,
  ) {}
  get id() {
    return gid("Refund", this._r.id);
  }
  get legacyResourceId() {
    return String(this._r.id);
  }
  get createdAt() {
    return this._r.createdAt;
  }
  get processedAt() {
    return this._r.createdAt;
  }
  get updatedAt() {
    return this._r.createdAt;
  }
  get note() {
    return this._r.note;
  }
  get totalRefundedSet() {
    return orderMoney(this._o, this._r.total);
  }
  refundLineItems(args: Args, ctx: ResolverContext) {
    return paginate(
      this._r.lines,
      args as ConnectionArgs,
      idKey,
      (l) => {
        const li = this._o.lineItems.find((x) => x.id === l.lineItemId)!;
        return {
          __typename: "RefundLineItem",
          id: gid("RefundLineItem", l.id),
          quantity: l.quantity,
          restocked: false,
          restockType: "NO_RESTOCK",
          priceSet: orderMoney(this._o, li.price),
          subtotalSet: orderMoney(this._o, l.subtotal),
          totalTaxSet: orderMoney(this._o, l.totalTax),
          lineItem: new LineItemView(this._shop, this._o, li),
        };
      },
      { bulk: ctx.bulk },
    );
  }
}

export class OrderView {
  readonly __typename = "Order";
  readonly confirmed = true;
  readonly sourceName = "web";
  constructor(
    private readonly _shop: ShopRecord,
    readonly _o: OrderRecord,
  ) {
    requireCustomerData(_shop, "Order");
  }
  private guard<T>(field: string, value: T): T {
    return protectedField(this._shop, `This app is not approved to use the ${field} field.`, value);
  }
  get customerLocale() {
    return this._o.customerLocale;
  }
  get billingAddress() {
    return this._o.billingAddress && new MailingAddressView(this._shop, this._o.billingAddress, this._o.id);
  }
  get shippingAddress() {
    return this._o.shippingAddress && new MailingAddressView(this._shop, this._o.shippingAddress, this._o.id + 1);
  }
  get discountCodes() {
    return this._o.discountCodes.map((d) => d.code);
  }
  get discountCode() {
    return this._o.discountCodes[0]?.code ?? null;
  }
  get taxLines() {
    return this._o.taxLines.map((tl) => this.taxLine(tl));
  }
  private taxLine(tl: OrderRecord["taxLines"][number]) {
    return {
      title: tl.title,
      rate: tl.rate,
      ratePercentage: Math.round(tl.rate * 10_000) / 100,
      priceSet: orderMoney(this._o, tl.price),
      channelLiable: false,
      source: "Shopify",
    };
  }
  shippingLines(args: Args, ctx: ResolverContext) {
    const c = this._o.currency;
    return paginate(
      this._o.shippingLines,
      args as ConnectionArgs,
      idKey,
      (l) => ({
        __typename: "ShippingLine",
        id: gid("ShippingLine", l.id),
        title: l.title,
        code: l.code,
        source: l.source,
        carrierIdentifier: null,
        isRemoved: false,
        phone: () => this.guard("phone", null),
        originalPriceSet: moneyBag(l.price, c),
        discountedPriceSet: moneyBag(l.price, c),
        taxLines: [],
      }),
      { bulk: ctx.bulk },
    );
  }
  get id() {
    return gid("Order", this._o.id);
  }
  get legacyResourceId() {
    return String(this._o.id);
  }
  get name() {
    return this._o.name;
  }
  get number() {
    return this._o.number - 1000;
  }
  get email() {
    return this.guard("email", this._o.email);
  }
  get phone() {
    return this.guard("phone", this._o.phone);
  }
  get createdAt() {
    return this._o.createdAt;
  }
  get updatedAt() {
    return this._o.updatedAt;
  }
  get processedAt() {
    return this._o.processedAt;
  }
  get cancelledAt() {
    return this._o.cancelledAt;
  }
  get cancelReason() {
    return this._o.cancelReason;
  }
  get closed() {
    return this._o.closedAt !== null;
  }
  get closedAt() {
    return this._o.closedAt;
  }
  get test() {
    return this._o.test;
  }
  get tags() {
    return this._o.tags;
  }
  get note() {
    return this._o.note;
  }
  // Order.customAttributes: the cart's attributes at checkout, the REST note_attributes
  // (https://shopify.dev/docs/api/admin-graphql/latest/objects/Order#field-customAttributes).
  get customAttributes() {
    return this._o.noteAttributes.map(({ name, value }) => ({ __typename: "Attribute", key: name, value }));
  }
  get displayFinancialStatus() {
    return this._o.financialStatus;
  }
  get displayFulfillmentStatus() {
    return this._o.fulfillmentStatus;
  }
  get fullyPaid() {
    return this._o.financialStatus === "PAID";
  }
  get unpaid() {
    return this._o.financialStatus === "PENDING" || this._o.financialStatus === "AUTHORIZED";
  }
  get currencyCode() {
    return this._o.currency;
  }
  get presentmentCurrencyCode() {
    return this._o.presentmentCurrency;
  }
  get totalRefundedSet() {
    return orderMoney(this._o, this._o.refunds.reduce((sum, r) => sum + Number(r.total), 0).toFixed(2));
  }
  refunds(args: Args) {
    const all = this._o.refunds.map((r) => new RefundView(this._shop, this._o, r));
    const first = args.first as number | undefined;
    return first ? all.slice(0, first) : all;
  }
  get totalPriceSet() {
    return orderMoney(this._o, this._o.totalPrice);
  }
  get currentTotalPriceSet() {
    return this.totalPriceSet;
  }
  get subtotalPriceSet() {
    return orderMoney(this._o, this._o.subtotalPrice);
  }
  get currentSubtotalPriceSet() {
    return this.subtotalPriceSet;
  }
  get totalTaxSet() {
    return orderMoney(this._o, this._o.totalTax);
  }
  get currentTotalTaxSet() {
    return this.totalTaxSet;
  }
  get totalDiscountsSet() {
    return orderMoney(this._o, this._o.totalDiscounts);
  }
  get totalShippingPriceSet() {
    return orderMoney(this._o, this._o.totalShipping);
  }
  get totalPrice() {
    return this._o.totalPrice;
  }
  get subtotalPrice() {
    return this._o.subtotalPrice;
  }
  get subtotalLineItemsQuantity() {
    return this._o.lineItems.reduce((s, li) => s + li.quantity, 0);
  }
  get currentSubtotalLineItemsQuantity() {
    return this.subtotalLineItemsQuantity;
  }
  get customer() {
    return this._o.customer ? new CustomerView(this._shop, this._o.customer) : null;
  }
  get statusPageUrl() {
    return this.guard("statusPageUrl", orderStatusUrl(this._shop, this._o));
  }
  lineItems(args: Args, ctx: ResolverContext) {
    const list = args.reverse ? [...this._o.lineItems].reverse() : this._o.lineItems;
    return paginate(list, args as ConnectionArgs, idKey, (li) => new LineItemView(this._shop, this._o, li), {
      bulk: ctx.bulk,
    });
  }
  fulfillments(args: Args) {
    const all = this._o.fulfillments.map((f, i) => new FulfillmentView(this._o, f, i));
    const first = args.first as number | undefined;
    return first ? all.slice(0, first) : all;
  }
  metafields(args: Args, ctx: ResolverContext) {
    return metafieldConnection([], this, "ORDER", args, ctx);
  }
  metafield() {
    return null;
  }
}

export function shopView(shop: ShopRecord) {
  const plan = PLAN_LIMITS[shop.plan];
  const primary = shop.locales.find((l) => l.primary)?.locale ?? "en";
  return {
    __typename: "Shop",
    id: gid("Shop", shop.id),
    name: shop.name,
    email: shop.email,
    contactEmail: shop.contactEmail,
    myshopifyDomain: shop.domain,
    url: `https://${shop.domain}`,
    description: null,
    currencyCode: shop.currencyCode,
    enabledPresentmentCurrencies: [shop.currencyCode],
    ianaTimezone: shop.ianaTimezone,
    timezoneAbbreviation: shop.ianaTimezone === "UTC" ? "UTC" : shop.ianaTimezone,
    timezoneOffset: "+0000",
    timezoneOffsetMinutes: 0,
    createdAt: shop.createdAt,
    updatedAt: shop.createdAt,
    weightUnit: "KILOGRAMS",
    unitSystem: "METRIC_SYSTEM",
    taxesIncluded: false,
    taxShipping: false,
    checkoutApiSupported: true,
    setupRequired: false,
    shopOwnerName: "Emulator Owner",
    orderNumberFormatPrefix: "#",
    orderNumberFormatSuffix: "",
    primaryLocale: primary,
    // https://shopify.dev/docs/api/admin-graphql/latest/objects/Shop#field-Shop.fields.shopPolicies:
    // the policies the merchant has written (ShopPolicy: id, type, title, body as HTML, dates).
    shopPolicies: [...shop.policies.values()].map((policy) => ({
      __typename: "ShopPolicy",
      id: gid("ShopPolicy", policy.id),
      type: policy.type,
      title: policy.title,
      body: policy.body,
      createdAt: policy.createdAt,
      updatedAt: policy.updatedAt,
    })),
    currencyFormats: {
      moneyFormat: "${{amount}}",
      moneyInEmailsFormat: "${{amount}} USD",
      moneyWithCurrencyFormat: "${{amount}} USD",
      moneyWithCurrencyInEmailsFormat: "${{amount}} USD",
    },
    plan: {
      displayName: plan.displayName,
      publicDisplayName: plan.displayName,
      partnerDevelopment: false,
      shopifyPlus: shop.plan === "plus" || shop.plan === "enterprise",
    },
    primaryDomain: {
      __typename: "Domain",
      id: gid("Domain", shop.id),
      host: shop.domain,
      url: `https://${shop.domain}`,
      sslEnabled: true,
    },
    metafields: (args: Args, ctx: ResolverContext) => metafieldConnection([], null, "SHOP", args, ctx),
    metafield: () => null,
    translations: () => [],
  };
}

export function collectionView(c: CollectionRecord) {
  return {
    __typename: "Collection",
    id: gid("Collection", c.id),
    legacyResourceId: String(c.id),
    title: c.title,
    handle: c.handle,
  };
}

export function bulkOperationView(ctx: ResolverContext, op: BulkOperationRecord) {
  const hasFile = op.status === "COMPLETED" && op.objectCount > 0;
  return {
    __typename: "BulkOperation",
    id: gid("BulkOperation", op.id),
    status: op.status,
    errorCode: op.errorCode,
    createdAt: op.createdAt,
    completedAt: op.completedAt,
    objectCount: String(op.objectCount),
    rootObjectCount: String(op.rootObjectCount),
    fileSize: hasFile && op.fileSize !== null ? String(op.fileSize) : null,
    // Shopify returns no url when the query matched nothing.
    url: hasFile ? `${ctx.runtime.baseUrl()}/_emulator/bulk/${op.id}.jsonl` : null,
    partialDataUrl:
      op.status === "FAILED" && op.objectCount > 0 ? `${ctx.runtime.baseUrl()}/_emulator/bulk/${op.id}.jsonl` : null,
    query: op.query,
    type: op.type,
  };
}

/**
 * A TranslatableResource (https://shopify.dev/docs/api/admin-graphql/latest/objects/TranslatableResource):
 * its content with digests, its translations into one locale ("includes unpublished locales"), and
 * `nestedTranslatableResources`, the resources translated with it but registered under their own
 * ids (a product's options, option values, images and text metafields), filterable by type.
 */
export function translatableResourceView(shop: ShopRecord, t: Translatable): Record<string, unknown> {
  return {
    resourceId: t.resourceId,
    translatableContent: (args: Args) => {
      if (args.marketId) throw unmodelledArgument("TranslatableResource.translatableContent", "marketId");
      return contentOf(shop, t);
    },
    translations: (args: Args) => {
      if (args.marketId) throw unmodelledArgument("TranslatableResource.translations", "marketId");
      return listResourceTranslations(shop, t, args.locale as string, args.outdated as boolean | null | undefined);
    },
    nestedTranslatableResources: (args: Args, ctx: ResolverContext) => {
      if (args.resourceType !== undefined && args.resourceType !== null && !isModelledResourceType(args.resourceType))
        throw unmodelledArgument(
          "TranslatableResource.nestedTranslatableResources",
          `resourceType ${String(args.resourceType)}`,
        );
      const list = t.nested().filter((n) => !args.resourceType || n.resourceType === args.resourceType);
      if (args.reverse) list.reverse();
      // The list's order is the resource's own (options, values, media, metafields), so the cursor
      // key is the position, not the id.
      const keyed = list.map((n, index) => ({ n, index }));
      return paginate(
        keyed,
        args as ConnectionArgs,
        (x) => ({ id: x.index, value: x.index }),
        (x) => translatableResourceView(shop, x.n),
        { bulk: ctx.bulk },
      );
    },
  };
}

function unmodelledArgument(field: string, what: string): GraphQLError {
  return new GraphQLError(`Emulator does not model ${field}(${what})`, {
    extensions: { code: "EMULATOR_UNMODELLED" },
  });
}
