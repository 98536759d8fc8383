/** How the catalog can be ordered (`GET /auctions?sort=`), read by the API, its query and the page. */
export const CATALOG_SORTS = ["ending_soon", "newest", "price_asc", "price_desc"] as const;
export type CatalogSort = (typeof CATALOG_SORTS)[number];
