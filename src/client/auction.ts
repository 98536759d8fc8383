/** The auction page's script, loaded after site.ts: the room's live figures (web contract, "Live"). */
import { readPage } from "./dom/page";
import { startAuctionPage } from "./live/auction-page";

startAuctionPage(readPage());
