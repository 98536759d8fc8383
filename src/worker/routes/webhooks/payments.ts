import { createRoute, z } from "@hono/zod-openapi";
import { findTopUp, paymentEventSeen, recordPayment } from "../../../db/queries/wallet";
import { ApiError } from "../../errors";
import { createRouter, jsonContent, problems, publicSecurity } from "../../openapi";
import { webhookSecret } from "../../payments/config";
import { verifyPaymentSignature } from "../../payments/signature";
import { walletRefusal } from "../../wallet-refusal";

const PaymentEvent = z.object({
  id: z.string().min(1).max(200),
  type: z.enum(["payment.succeeded", "payment.failed"]),
  data: z.object({ topUpId: z.string().max(64), amount: z.number().int(), currency: z.string().max(8) }),
});

const route = createRoute({
  method: "post",
  path: "/payments",
  operationId: "receivePaymentWebhook",
  tags: ["Webhooks"],
  summary: "The payment provider's confirmation of a top-up",
  description:
    'Header `Payment-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + rawBody)>`, checked over the raw bytes ' +
    "in constant time, `t` within 5 minutes (else 400 INVALID_SIGNATURE). Idempotent on the event `id`. The amount and " +
    "currency must match the top-up (422 AMOUNT_MISMATCH); 404 TOP_UP_NOT_FOUND; a decided top-up never changes (409 TOP_UP_STATE).",
  security: publicSecurity,
  request: {
    headers: z.object({ "payment-signature": z.string().max(1000).optional() }),
    // Documented, not validated by the router: the signature is checked before anything is parsed.
    body: {
      required: true,
      content: { "application/json": { schema: PaymentEvent.openapi("PaymentEvent") } },
    },
  },
  responses: {
    200: jsonContent(
      z.object({ received: z.literal(true), duplicate: z.boolean() }),
      "Processed (or seen before)",
    ),
    ...problems(400, 404, 409, 422),
  },
});

/** `/webhooks`: calls from outside services, authenticated by signature, not by session. */
export const webhooksRouter = createRouter().openapi(
  { ...route, request: { headers: route.request.headers } },
  async (c) => {
    // The signature covers the exact bytes received; the request-body middleware kept them as sent.
    const rawBody = await c.req.text();
    const check = await verifyPaymentSignature(
      webhookSecret(c.env),
      rawBody,
      c.req.header("payment-signature") ?? null,
      Math.floor(Date.now() / 1000),
    );
    if (!check.ok) throw new ApiError("INVALID_SIGNATURE", `The payment signature is ${check.reason}.`);
    const event = PaymentEvent.safeParse(parseJson(rawBody));
    if (!event.success) throw new ApiError("VALIDATION_FAILED", "Not a payment event.");
    const { id, type, data } = event.data;
    if (await paymentEventSeen(c.env.DB, id))
      return c.json({ received: true as const, duplicate: true }, 200);
    const topUp = await findTopUp(c.env.DB, data.topUpId);
    if (!topUp) throw new ApiError("TOP_UP_NOT_FOUND", "There is no top-up with that id.");
    if (topUp.amount !== data.amount || topUp.currency !== data.currency) {
      throw new ApiError(
        "AMOUNT_MISMATCH",
        `The payment is for ${data.amount} ${data.currency}; the top-up is ${topUp.amount} ${topUp.currency}.`,
      );
    }
    // The Wallet decides the outcome once (credited at most once as `topup:<id>`); D1 follows it.
    const wallet = c.env.WALLET.getByName(topUp.userId);
    const request = { topUpId: topUp.id, amount: topUp.amount, currency: topUp.currency };
    const result =
      type === "payment.succeeded"
        ? await wallet.creditTopUp(topUp.userId, request)
        : await wallet.failTopUp(topUp.userId, request);
    if (!result.ok) throw walletRefusal(result);
    await recordPayment(
      c.env.DB,
      { id, topUpId: topUp.id, type },
      type === "payment.succeeded" ? "succeeded" : "failed",
      Date.now(),
    );
    return c.json({ received: true as const, duplicate: false }, 200);
  },
);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
