import { createRouter } from "../openapi";

/** WebSocket endpoints (SPEC §6): the auction room and the caller's own notification channel. */
export const liveRouter = createRouter();
