import { auctionNotFound } from "./room-failure";
import { AUCTION_ID_PATTERN } from "./schemas/auction";

/** The auction's Durable Object, after checking the id is one we could have issued. */
export function auctionRoom(env: Env, id: string) {
  if (!AUCTION_ID_PATTERN.test(id)) throw auctionNotFound();
  return env.AUCTION_ROOM.getByName(id);
}
