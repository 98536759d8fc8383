/**
 * Every page's script (web contract): the API forms, photo uploads on /sell, the catalog's
 * countdowns, and for a signed-in reader the notification socket with its toasts and badge.
 */
import { readPage } from "./dom/page";
import { initApiForms } from "./forms/api-forms";
import { initPhotoUploads } from "./forms/sell-photos";
import { startCatalogCountdowns } from "./live/catalog-countdowns";
import { startNotifications } from "./notifications/me-live";
import { walletListener } from "./wallet/wallet";

const page = readPage();
initApiForms(page);
initPhotoUploads(page.lang);
startCatalogCountdowns(page.lang);
if (page.me) {
  const wallet = walletListener(page.lang);
  startNotifications(page, wallet ? [wallet] : []);
}
