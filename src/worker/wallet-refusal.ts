import type { WalletRefusal } from "../durable/wallet";
import { ApiError } from "./errors";

/** A Wallet's refusal as the API answers it; nothing changed in the Wallet. */
export function walletRefusal(refusal: WalletRefusal): ApiError {
  switch (refusal.code) {
    case "INSUFFICIENT_FUNDS":
      return new ApiError(
        "INSUFFICIENT_FUNDS",
        `Not enough available funds: ${refusal.available} available, ${refusal.needed} needed.`,
        {
          errors: [{ path: "amount", message: `available ${refusal.available}, needed ${refusal.needed}` }],
          figures: { available: refusal.available, needed: refusal.needed },
        },
      );
    case "INVALID_AMOUNT":
      return new ApiError("VALIDATION_FAILED", "The amount is not a valid sum of money.");
    case "BALANCE_LIMIT":
      return new ApiError("VALIDATION_FAILED", `A wallet holds at most ${refusal.limit} per currency.`);
    case "TRANSFER_CONFLICT":
      return new ApiError("TRANSFER_CONFLICT", "This operation was already applied with other figures.");
    case "TOP_UP_STATE":
      return new ApiError("TOP_UP_STATE", `This top-up already ${refusal.status}; it cannot change.`);
    case "WITHDRAWAL_NOT_FOUND":
      return new ApiError("WITHDRAWAL_NOT_FOUND", "There is no withdrawal with that id.");
    case "WITHDRAWAL_STATE":
      return new ApiError("WITHDRAWAL_STATE", `This withdrawal is already ${refusal.status}.`);
  }
}
