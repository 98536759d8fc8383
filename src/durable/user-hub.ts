import { DurableObject } from "cloudflare:workers";

/** One per user: holds that user's live notification sockets and pushes notifications to them. */
export class UserHub extends DurableObject<Env> {}
