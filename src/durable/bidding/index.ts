export { CURRENCIES_WITH_TABLE, hasIncrementTable, incrementFor } from "./increments";
export {
  type BiddingState,
  type BidResolution,
  type CloseOutcome,
  closeOutcome,
  type HistoryEntry,
  type IncomingBid,
  type Increment,
  minimumNextBid,
  reserveMet,
  resolveBid,
} from "./proxy";
export { applySoftClose, type SoftClose } from "./soft-close";
