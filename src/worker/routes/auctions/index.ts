import { createRouter } from "../../openapi";
import { auctionRouter } from "./auctions";
import { bidsRouter } from "./bids";
import { buyNowRouter } from "./buy-now";
import { auctionLiveRouter } from "./live";
import { orderRouter } from "./order";
import { secondChanceRouter } from "./second-chance";
import { watchRouter } from "./watch";

/** Everything under `/auctions`: the collection, one auction, and its sub-resources. */
export const auctionsRouter = createRouter()
  .route("/", auctionRouter)
  .route("/", bidsRouter)
  .route("/", buyNowRouter)
  .route("/", watchRouter)
  .route("/", orderRouter)
  .route("/", secondChanceRouter)
  .route("/", auctionLiveRouter);
