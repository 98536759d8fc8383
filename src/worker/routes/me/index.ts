import { createRouter } from "../../openapi";
import { myAuctionsRouter } from "./auctions";
import { myBidsRouter } from "./bids";
import { inboxRouter } from "./inbox";
import { liveRouter } from "./live";
import { myOrdersRouter } from "./orders";
import { profileRouter } from "./profile";
import { walletRouter } from "./wallet";
import { watchlistRouter } from "./watchlist";

/** Everything under `/me`: the signed-in caller's own resources, one file per sub-resource. */
export const meRouter = createRouter()
  .route("/", profileRouter)
  .route("/", myAuctionsRouter)
  .route("/", myBidsRouter)
  .route("/", watchlistRouter)
  .route("/", inboxRouter)
  .route("/", liveRouter)
  .route("/", walletRouter)
  .route("/", myOrdersRouter);
