import { createRouter } from "../openapi";

/** Inbox API (SPEC §7). */
export const inboxRouter = createRouter();
