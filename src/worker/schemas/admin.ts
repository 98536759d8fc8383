import { z } from "@hono/zod-openapi";
import { userText } from "./text";

/** The body of every admin action that needs a why (suspensions, cancellations): kept in the audit log. */
export const AdminReasonBody = z
  .strictObject({
    reason: userText({ min: 1, max: 500, trim: true }).openapi({
      description: "Why; kept in the audit log.",
      example: "Shill bidding on own listings",
    }),
  })
  .openapi("AdminReason");
