import type { ExecutionContext } from "hono";
import createClient from "openapi-fetch";
import type { paths } from "../client/api-schema";

/** Hands a request to the Worker's own app, in process. */
export type CallApi = (
  request: Request,
  env: Env,
  executionCtx: ExecutionContext,
) => Response | Promise<Response>;

export type SiteApi = ReturnType<typeof createClient<paths>>;

/**
 * The pages read through the same JSON API every client uses, in process rather than over the
 * network: one set of rules decides who sees what, and a page shows exactly what the API answers.
 * The reader's cookie goes along, so the API sees the reader.
 */
export function siteApi(request: Request, send: (request: Request) => Response | Promise<Response>): SiteApi {
  const cookie = request.headers.get("cookie");
  return createClient<paths>({
    baseUrl: new URL(request.url).origin,
    headers: cookie === null ? {} : { cookie },
    fetch: async (request) => send(request),
  });
}
