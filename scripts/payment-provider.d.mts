// Types for payment-provider.mjs, which TypeScript tests import (the e2e harness).
export function localWebhookSecret(): string | undefined;
export function paymentSignature(secret: string, rawBody: string, t?: number): string;
export function deliverPaymentEvent(
  baseUrl: string,
  secret: string,
  event: { id: string; type: string; data: Record<string, unknown> },
): Promise<{ status: number; ok: boolean; text: string }>;
