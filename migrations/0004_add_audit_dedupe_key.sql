ALTER TABLE `audit_log` ADD `dedupe_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `audit_log_dedupe_key_idx` ON `audit_log` (`dedupe_key`);