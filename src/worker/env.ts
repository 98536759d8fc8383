import type { SessionUser } from "./auth/session";

/** Hono typing for the worker: bindings from wrangler.toml, per-request variables set by middleware. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** Set by `authenticate` when the request carries a valid session. */
    user?: SessionUser;
    sessionTokenHash?: string;
    /**
     * Set by `requestBody` when the JSON body has a `__proto__` key (its path); the body's
     * validation refuses it, after the route's own guards have had their say.
     */
    bodyPrototypeKey?: string;
  };
}
