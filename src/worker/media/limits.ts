import type { UploadQuota } from "../../db/queries/uploads";

/** Where photos are uploaded: the one route whose body is not JSON (see middleware/request-body.ts). */
export const UPLOAD_PATH = "/api/v1/uploads";

/** Largest photo accepted (SPEC §10: 5 MB): a phone's photo, not a camera's RAW file. */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

/**
 * Photos per user per hour. A listing holds at most 10; this allows several listings' worth with
 * retries, while no account can fill the bucket (60 × 5 MB = 300 MB an hour at most).
 */
export const UPLOAD_QUOTA: UploadQuota = { limit: 60, windowMs: 60 * 60 * 1000 };
