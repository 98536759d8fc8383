import { requireAdmin } from "../../middleware/auth";
import { createRouter } from "../../openapi";
import { adminAuctionsRouter } from "./auctions";
import { auditLogRouter } from "./audit-log";
import { adminLedgerRouter } from "./ledger";
import { adminOrdersRouter } from "./orders";
import { adminUsersRouter } from "./users";
import { adminWalletRouter } from "./wallet";
import { adminWithdrawalsRouter } from "./withdrawals";

/**
 * Everything under `/admin` (SPEC §9), behind one guard: a route added here cannot forget it.
 * The guard runs before validation, so a non-admin learns nothing about the routes, not even
 * which paths exist (an unknown path under /admin is refused the same way).
 */
export const adminRouter = createRouter()
  .use("*", requireAdmin)
  .route("/", adminUsersRouter)
  .route("/", adminAuctionsRouter)
  .route("/", auditLogRouter)
  .route("/", adminWalletRouter)
  .route("/", adminWithdrawalsRouter)
  .route("/", adminOrdersRouter)
  .route("/", adminLedgerRouter);
