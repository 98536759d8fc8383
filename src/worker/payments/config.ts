import { z } from "zod";
import { ApiError } from "../errors";

const PaymentsEnv = z.object({ PAYMENTS_WEBHOOK_SECRET: z.string().min(16) });

/**
 * The webhook secret, validated where it is read: a deployment without it (no `wrangler secret
 * put`, no .dev.vars) refuses webhooks loudly instead of checking signatures against nothing.
 */
export function webhookSecret(env: Env): string {
  const parsed = PaymentsEnv.safeParse(env);
  if (!parsed.success) {
    console.error(
      JSON.stringify({ level: "error", message: "PAYMENTS_WEBHOOK_SECRET is missing or too short" }),
    );
    throw new ApiError("INTERNAL", "Payments are not configured on this deployment.");
  }
  return parsed.data.PAYMENTS_WEBHOOK_SECRET;
}
