import { createRoute, z } from "@hono/zod-openapi";
import { VIEWER_HEADER } from "../../../durable/auction-room";
import { createRouter, problems } from "../../openapi";
import { auctionNotFound } from "../../room-failure";
import { auctionRoom } from "../../room-stub";
import { AuctionIdParam } from "../../schemas/auction";
import { assertWebSocketHandshake } from "../../websocket-handshake";

const roomLive = createRoute({
  method: "get",
  path: "/{id}/live",
  tags: ["Real time"],
  summary: "WebSocket to the auction room",
  description:
    "Upgrade to a WebSocket. Server frames (JSON, each with `seq` and `serverTime`): `snapshot` on connect, `bid`, `closed`, " +
    '`cancelled`. Send the text `ping` for `pong`, or `{"type":"snapshot"}` for a fresh snapshot. Reconnect with ' +
    "`?since=<last seq>` to replay what was missed (the last 2,000 events), else a snapshot is sent. Anyone may watch; " +
    "signed-in viewers get `leaderIsYou`.",
  request: {
    params: AuctionIdParam,
    query: z.object({ since: z.coerce.number().int().min(0).optional() }),
  },
  responses: { 101: { description: "Switching protocols" }, ...problems(400, 403, 404, 426) },
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
