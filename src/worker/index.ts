import { handleQueue } from "../queue/consumer";
import { app } from "./app";

export { AuctionRoom } from "../durable/auction-room";
export { UserHub } from "../durable/user-hub";
export { Wallet } from "../durable/wallet";

export default {
  fetch: app.fetch,
  queue: handleQueue,
} satisfies ExportedHandler<Env>;
