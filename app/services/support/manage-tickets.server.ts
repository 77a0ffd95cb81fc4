import type { Db } from "~/services/types";

/** The shop's handoff tickets, open ones first, newest first. */
export async function listTickets({ db, shop }: { db: Db; shop: string }) {
  const tickets = await db.supportTicket.findMany({
    where: { shopDomain: shop },
    orderBy: [{ status: "asc" }, { createdAt: "desc" }],
    take: 200,
  });
  return tickets.map((ticket) => ({
    id: ticket.id,
    email: ticket.email,
    question: ticket.question,
    locale: ticket.locale,
    status: ticket.status,
    createdAt: ticket.createdAt.toISOString(),
    resolvedAt: ticket.resolvedAt?.toISOString() ?? null,
    transcript: ticket.transcript as { role: string; text: string }[],
  }));
}

/** Marks one of the shop's tickets resolved; false when the id is not the shop's. Idempotent. */
export async function resolveTicket({ db, shop, id }: { db: Db; shop: string; id: string }) {
  const ticket = await db.supportTicket.findFirst({ where: { id, shopDomain: shop }, select: { status: true } });
  if (!ticket) return false;
  if (ticket.status === "OPEN") {
    await db.supportTicket.updateMany({
      where: { id, shopDomain: shop, status: "OPEN" },
      data: { status: "RESOLVED", resolvedAt: new Date() },
    });
  }
  return true;
}
