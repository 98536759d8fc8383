import { app } from "./app";
import { handleQueue } from "../queue/consumer";

export { AuctionRoom } from "../durable/auction-room";

export default {
  fetch: app.fetch,
  queue: handleQueue,
} satisfies ExportedHandler<Env>;
