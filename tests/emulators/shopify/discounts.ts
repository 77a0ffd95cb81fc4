// How an order's discounts land on its lines, as Shopify allocates them. A discount application
// whose target is the line items ("ALL" lines, allocation method "ACROSS") is split across every
// line in proportion to the line's price × quantity; each line then carries its share as a
// DiscountAllocation (https://shopify.dev/docs/api/admin-graphql/latest/objects/DiscountAllocation,
// REST `line_items[].discount_allocations`). A shipping discount is allocated to the shipping lines,
// never to a product line. LineItem.discountedTotalSet leaves these out ("This value doesn't
// include order-level discounts"), so an app reading only it overstates product sales.
import type { LineItemRecord, OrderRecord } from "./state";

export interface LineAllocation {
  code: string;
  type: "fixed_amount" | "percentage" | "shipping";
  /** The line's share, in the shop's currency, as a decimal string. */
  amount: string;
  /** The discount's index in the order's discount applications. */
  applicationIndex: number;
}

const cents = (amount: string | number) => Math.round(Number(amount) * 100);

/**
 * Every line's allocations (line id → allocations). Shares are whole cents; the cents a
 * proportional split leaves over go to the last lines, so the shares always add up to the discount.
 */
export function lineDiscountAllocations(o: OrderRecord): Map<number, LineAllocation[]> {
  const byLine = new Map<number, LineAllocation[]>(o.lineItems.map((li) => [li.id, []]));
  const weight = (li: LineItemRecord) => cents(li.price) * li.quantity;
  const total = o.lineItems.reduce((sum, li) => sum + weight(li), 0);
  o.discountCodes.forEach((discount, applicationIndex) => {
    if (discount.type === "shipping" || total === 0) return;
    const amount = Math.min(cents(discount.amount), total);
    const shares = o.lineItems.map((li) => Math.floor((amount * weight(li)) / total));
    let left = amount - shares.reduce((sum, share) => sum + share, 0);
    for (let i = shares.length - 1; left > 0 && i >= 0; i--, left--) shares[i] = (shares[i] ?? 0) + 1;
    o.lineItems.forEach((li, i) =>
      byLine.get(li.id)!.push({
        code: discount.code,
        type: discount.type,
        amount: ((shares[i] ?? 0) / 100).toFixed(2),
        applicationIndex,
      }),
    );
  });
  return byLine;
}
