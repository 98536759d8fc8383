CREATE TABLE `ledger_entries` (
	`transfer_id` text NOT NULL,
	`account` text NOT NULL,
	`recorded_by` text NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`kind` text NOT NULL,
	`auction_id` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`transfer_id`, `account`, `recorded_by`)
);
--> statement-breakpoint
CREATE INDEX `ledger_entries_account_idx` ON `ledger_entries` (`account`);