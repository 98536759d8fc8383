import * as z from "zod/mini";
import { HistoryRowSchema } from "../../shared/live-frames";
import type { Assert, Covers } from "../../shared/type-checks";
import type { components } from "../api-schema";

/** The API responses the page reads, parsed (the OpenAPI types below keep them in step). */

export const UploadSchema = z.object({
  key: z.string(),
  url: z.string(),
  contentType: z.string(),
  size: z.number(),
});

export const UnreadCountSchema = z.object({ count: z.int() });

export const WalletSchema = z.object({
  balances: z.array(
    z.object({ currency: z.string(), available: z.number(), held: z.number(), pendingPayout: z.number() }),
  ),
});
export type Wallet = z.infer<typeof WalletSchema>;

export const TopUpSchema = z.object({ id: z.string(), status: z.string() });

export const HistoryPageSchema = z.object({ items: z.array(HistoryRowSchema) });

// Compile-time only: whatever the API documents must parse as what the client reads. A change to
// the API that breaks the page then fails `npm run typecheck`, not a user's browser.
type Schemas = components["schemas"];
export type ApiCoversClient = [
  Assert<Covers<Schemas["Upload"], z.infer<typeof UploadSchema>>>,
  Assert<Covers<Schemas["UnreadCount"], z.infer<typeof UnreadCountSchema>>>,
  Assert<Covers<Schemas["Wallet"], Wallet>>,
  Assert<Covers<Schemas["TopUp"], z.infer<typeof TopUpSchema>>>,
  Assert<Covers<Schemas["HistoryPage"], z.infer<typeof HistoryPageSchema>>>,
];
