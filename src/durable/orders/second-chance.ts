import type { MoneyMove } from "./money";
import type { Order, OrderTerms } from "./order";
import { openOrder } from "./transitions";

/**
 * Second-chance offers (eBay's), pure. When a sale falls through — the order was refunded (the
 * seller cancelled before shipping, or an administrator refunded a dispute) or the auction ended
 * unsold under its reserve — the seller may offer the item to another bidder at that bidder's
 * highest bid. One offer is open at a time; the bidder accepts (a new order opens paid, from a
 * hold on their wallet) or declines within 48 hours, else it expires.
 */

/** How long the bidder has to answer. */
export const SECOND_CHANCE_ACCEPT_MS = 48 * 3600_000;
/** How long after the sale fell through (the end, or the refund) the seller may still offer. */
export const SECOND_CHANCE_WINDOW_MS = 60 * 24 * 3600_000;

export type OfferStatus = "open" | "accepted" | "declined" | "expired";

export interface SecondChanceOffer {
  /** 1 for the auction's first offer, and so on. */
  number: number;
  auctionId: string;
  sellerId: string;
  bidderId: string;
  /** The bidder's public handle in the bid history (`b***2`), all the seller knows of them. */
  bidderHandle: string;
  currency: string;
  /** The bidder's highest bid in the public history (never their secret maximum). */
  price: number;
  status: OfferStatus;
  /** Epoch ms. */
  offeredAt: number;
  expiresAt: number;
  decidedAt: number | null;
  /** The order an acceptance opened. */
  orderId: string | null;
}

/** What the room knows when the seller asks: its auction, its orders and offers (oldest first). */
export interface OfferContext {
  auction: {
    id: string;
    sellerId: string;
    currency: string;
    status: "scheduled" | "open" | "closed" | "cancelled";
    outcome: "sold" | "unsold" | null;
    hasBids: boolean;
    endsAt: number;
  };
  orders: readonly Order[];
  offers: readonly SecondChanceOffer[];
}

/** The bidder the seller named; null when no bidder has that handle. */
export interface Candidate {
  bidderId: string;
  handle: string;
  /** Null when they are registered here without a bid of their own (a buy-now buyer). */
  highestBid: number | null;
}

export type SecondChanceRefusal = {
  ok: false;
  code: "FORBIDDEN" | "SECOND_CHANCE_STATE" | "UNKNOWN_BIDDER" | "BIDDER_NOT_ELIGIBLE";
  detail: string;
};

const refuse = (code: SecondChanceRefusal["code"], detail: string): SecondChanceRefusal => ({
  ok: false,
  code,
  detail,
});
const iso = (at: number) => new Date(at).toISOString();

/** The status as of `now`: an open offer past its time is expired, whether or not the alarm ran. */
export function statusAt(offer: SecondChanceOffer, now: number): OfferStatus {
  return offer.status === "open" && now >= offer.expiresAt ? "expired" : offer.status;
}

/** Since when the sale has fallen through (the seller may offer), or why it has not. */
function fellThroughAt(ctx: OfferContext): number | SecondChanceRefusal {
  const { auction } = ctx;
  const latest = ctx.orders.at(-1);
  if (auction.status === "cancelled") return refuse("SECOND_CHANCE_STATE", "The auction was cancelled.");
  if (auction.status !== "closed") return refuse("SECOND_CHANCE_STATE", "The auction has not ended.");
  if (latest) {
    return latest.status === "refunded" && latest.refundedAt !== null
      ? latest.refundedAt
      : refuse("SECOND_CHANCE_STATE", `The item is sold: its order is ${latest.status}.`);
  }
  if (auction.outcome === "sold") return refuse("SECOND_CHANCE_STATE", "The item is sold.");
  if (!auction.hasBids) return refuse("SECOND_CHANCE_STATE", "Nobody bid on this auction.");
  return auction.endsAt;
}

/**
 * The seller offers the item to `candidate`. Checked in order: the caller is the seller (403),
 * the sale fell through within the window and no other offer is open (409), the bidder exists
 * (422 UNKNOWN_BIDDER) and may be offered it — not a previous buyer, not offered it before (422).
 */
export function makeOffer(
  ctx: OfferContext,
  callerId: string,
  candidate: Candidate | null,
  now: number,
): { ok: true; offer: SecondChanceOffer } | SecondChanceRefusal {
  const { auction } = ctx;
  if (callerId !== auction.sellerId)
    return refuse("FORBIDDEN", "Only the seller makes second-chance offers.");
  const since = fellThroughAt(ctx);
  if (typeof since !== "number") return since;
  if (now > since + SECOND_CHANCE_WINDOW_MS) {
    return refuse(
      "SECOND_CHANCE_STATE",
      "Second-chance offers can be made for 60 days after the sale fell through.",
    );
  }
  const open = ctx.offers.find((o) => statusAt(o, now) === "open");
  if (open) {
    return refuse(
      "SECOND_CHANCE_STATE",
      `Your offer to ${open.bidderHandle} is open until ${iso(open.expiresAt)}.`,
    );
  }
  if (!candidate) return refuse("UNKNOWN_BIDDER", "Nobody with that handle bid on this auction.");
  if (ctx.orders.some((o) => o.buyerId === candidate.bidderId) || candidate.highestBid === null)
    return refuse("BIDDER_NOT_ELIGIBLE", `${candidate.handle} already bought this item.`);
  if (ctx.offers.some((o) => o.bidderId === candidate.bidderId))
    return refuse("BIDDER_NOT_ELIGIBLE", `${candidate.handle} was offered this item before.`);
  const offer: SecondChanceOffer = {
    number: ctx.offers.length + 1,
    auctionId: auction.id,
    sellerId: auction.sellerId,
    bidderId: candidate.bidderId,
    bidderHandle: candidate.handle,
    currency: auction.currency,
    price: candidate.highestBid,
    status: "open",
    offeredAt: now,
    expiresAt: now + SECOND_CHANCE_ACCEPT_MS,
    decidedAt: null,
    orderId: null,
  };
  return { ok: true, offer };
}

/** Who is looking at an offer. */
export type OfferRole = "seller" | "bidder" | "admin";

/**
 * The offer a user may see, and as whom: the seller (and an administrator) the latest, a bidder
 * the one made to them; null for anyone else.
 */
export function offerFor(
  offers: readonly SecondChanceOffer[],
  userId: string,
  isAdmin: boolean,
): { offer: SecondChanceOffer; role: OfferRole } | null {
  const latest = offers.at(-1);
  if (!latest) return null;
  if (latest.sellerId === userId) return { offer: latest, role: "seller" };
  const own = offers.findLast((o) => o.bidderId === userId);
  if (own) return { offer: own, role: "bidder" };
  return isAdmin ? { offer: latest, role: "admin" } : null;
}

type Answer =
  | { ok: true; replay: true; offer: SecondChanceOffer }
  | { ok: true; replay: false; offer: SecondChanceOffer; order: Order; money: MoneyMove[] };

function notOpen(offer: SecondChanceOffer, now: number): SecondChanceRefusal {
  const status = statusAt(offer, now);
  const detail =
    status === "expired"
      ? `The offer expired at ${iso(offer.expiresAt)}.`
      : status === "declined"
        ? "You declined this offer."
        : "You accepted this offer.";
  return refuse("SECOND_CHANCE_STATE", detail);
}

/**
 * The bidder accepts: the item's next order opens paid at the offer's price (`<auctionId>.<n>`,
 * n counting the item's orders, so its transfers never collide with an earlier order's).
 * Accepting an offer already accepted answers it again.
 */
export function acceptOffer(
  offer: SecondChanceOffer,
  role: OfferRole,
  orders: readonly Order[],
  terms: Pick<OrderTerms, "feeBps" | "funded">,
  now: number,
): Answer | SecondChanceRefusal {
  if (role !== "bidder") return refuse("FORBIDDEN", "Only the bidder it was made to accepts an offer.");
  if (offer.status === "accepted") return { ok: true, replay: true, offer };
  if (statusAt(offer, now) !== "open") return notOpen(offer, now);
  const orderId = `${offer.auctionId}.${orders.length + 1}`;
  const sale = {
    id: orderId,
    auctionId: offer.auctionId,
    buyerId: offer.bidderId,
    sellerId: offer.sellerId,
    currency: offer.currency,
    price: offer.price,
  };
  const { order, money } = openOrder(sale, terms, now);
  return {
    ok: true,
    replay: false,
    offer: { ...offer, status: "accepted", decidedAt: now, orderId },
    order,
    money,
  };
}

/** The bidder declines; declining again answers the same. */
export function declineOffer(
  offer: SecondChanceOffer,
  role: OfferRole,
  now: number,
): { ok: true; replay: boolean; offer: SecondChanceOffer } | SecondChanceRefusal {
  if (role !== "bidder") return refuse("FORBIDDEN", "Only the bidder it was made to declines an offer.");
  if (offer.status === "declined") return { ok: true, replay: true, offer };
  if (statusAt(offer, now) !== "open") return notOpen(offer, now);
  return { ok: true, replay: false, offer: { ...offer, status: "declined", decidedAt: now } };
}

/** The expired offer once its time has come (decided at its expiry), or null: not open, or not yet. */
export function expireOffer(offer: SecondChanceOffer, now: number): SecondChanceOffer | null {
  if (offer.status !== "open" || now < offer.expiresAt) return null;
  return { ...offer, status: "expired", decidedAt: offer.expiresAt };
}

/**
 * What `userId` must keep held on this auction for their offers: the price of one they accepted
 * (its order's payment posts that hold), nothing otherwise.
 */
export function owedOnOffers(offers: readonly SecondChanceOffer[], userId: string): number {
  const accepted = offers.find((o) => o.bidderId === userId && o.status === "accepted");
  return accepted ? accepted.price : 0;
}

/** An offer as the API shows it to the seller, the bidder or an administrator. */
export interface OfferView {
  auctionId: string;
  bidderHandle: string;
  yourRole: OfferRole;
  price: number;
  currency: string;
  status: OfferStatus;
  offeredAt: string;
  expiresAt: string;
  decidedAt: string | null;
  orderId: string | null;
}

export function offerView(offer: SecondChanceOffer, role: OfferRole, now: number): OfferView {
  const status = statusAt(offer, now);
  // Expired by time before the alarm marked it: it was decided at its expiry all the same.
  const decidedAt = offer.decidedAt ?? (status === "expired" ? offer.expiresAt : null);
  return {
    auctionId: offer.auctionId,
    bidderHandle: offer.bidderHandle,
    yourRole: role,
    price: offer.price,
    currency: offer.currency,
    status,
    offeredAt: iso(offer.offeredAt),
    expiresAt: iso(offer.expiresAt),
    decidedAt: decidedAt === null ? null : iso(decidedAt),
    orderId: offer.orderId,
  };
}
