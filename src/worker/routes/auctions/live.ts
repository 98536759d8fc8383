import { createRoute, z } from "@hono/zod-openapi";
import { VIEWER_HEADER } from "../../../durable/auction-room";
import { createRouter, optionalSessionSecurity, problem } from "../../openapi";
import { auctionNotFound } from "../../room-failure";
import { auctionRoom } from "../../room-stub";
import { AuctionIdParam } from "../../schemas/auction";
import { assertWebSocketHandshake, WEBSOCKET_REFUSALS } from "../../websocket-handshake";

const roomLive = createRoute({
  method: "get",
  path: "/{id}/live",
  operationId: "openAuctionLiveSocket",
  security: optionalSessionSecurity,
  tags: ["Real time"],
  summary: "WebSocket to the auction room",
  description:
    "A WebSocket upgrade to the auction's room; anyone may watch, and signed-in viewers get `leaderIsYou`. " +
    "Server frames are JSON, each with `seq` and `serverTime`: `snapshot` on connect (and whenever the auction opens or " +
    "is edited), then `bid` (with `minimumNextBid`, `reserveMet` and `history`: the rows the bid added to `GET …/bids`, newest first), `closed` (with `winnerIsYou`) and `cancelled`. Reconnect with `?since=<last seq>` to replay " +
    "what was missed (the last 2,000 events), else a fresh snapshot is sent. Client frames: the text `ping` (answered " +
    '`pong`) or `{"type":"snapshot"}`; a frame over 1 KiB closes the socket with 1009, more than 20 frames in 10 s or ' +
    "anything else with 1008.",
  request: {
    params: AuctionIdParam,
    query: z.object({ since: z.coerce.number().int().min(0).optional() }),
  },
  responses: {
    101: { description: "Switching Protocols: the socket is open; a `snapshot` frame follows." },
    400: WEBSOCKET_REFUSALS[400],
    403: WEBSOCKET_REFUSALS[403],
    404: problem("`AUCTION_NOT_FOUND`: there is no auction with this id."),
    426: WEBSOCKET_REFUSALS[426],
  },
});

/** `/auctions/{id}/live`: the auction room's WebSocket, for anyone. */
export const auctionLiveRouter = createRouter().openapi(roomLive, async (c) => {
  assertWebSocketHandshake(c.req.raw.headers);
  const { id } = c.req.valid("param");
  const { since } = c.req.valid("query");
  const url = new URL(`https://auction-room/${id}/live`);
  if (since !== undefined) url.searchParams.set("since", String(since));
  const headers = new Headers({ upgrade: "websocket" });
  // Only the worker vouches for who the viewer is; a client-sent header never gets through.
  const viewer = c.get("user");
  if (viewer) headers.set(VIEWER_HEADER, viewer.id);
  const response = await auctionRoom(c.env, id).fetch(url, { headers });
  if (response.status === 404) throw auctionNotFound();
  return response;
});
