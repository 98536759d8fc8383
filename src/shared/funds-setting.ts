/**
 * SPEC §8: bids and buy-now need funds unless the deployment sets BIDS_REQUIRE_FUNDS = "false".
 * The worker (which reserves) and the rooms (which check) read the same setting.
 */
export function bidsRequireFunds(env: { BIDS_REQUIRE_FUNDS?: string }): boolean {
  return env.BIDS_REQUIRE_FUNDS !== "false";
}
