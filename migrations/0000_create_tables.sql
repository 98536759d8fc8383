CREATE TABLE `auction_bidders` (
	`auction_id` text NOT NULL,
	`user_id` text NOT NULL,
	`last_bid_at` integer NOT NULL,
	PRIMARY KEY(`auction_id`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `auction_bidders_user_idx` ON `auction_bidders` (`user_id`,`last_bid_at`);--> statement-breakpoint
CREATE TABLE `auctions` (
	`id` text PRIMARY KEY NOT NULL,
	`seller_id` text NOT NULL,
	`title` text NOT NULL,
	`category` text,
	`currency` text NOT NULL,
	`starting_price` integer NOT NULL,
	`current_price` integer NOT NULL,
	`bid_count` integer NOT NULL,
	`status` text NOT NULL,
	`outcome` text,
	`leader_id` text,
	`winner_id` text,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`last_seq` integer NOT NULL,
	`summary` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `auctions_status_ends_idx` ON `auctions` (`status`,`ends_at`);--> statement-breakpoint
CREATE INDEX `auctions_created_idx` ON `auctions` (`created_at`);--> statement-breakpoint
CREATE INDEX `auctions_price_idx` ON `auctions` (`current_price`);--> statement-breakpoint
CREATE INDEX `auctions_seller_idx` ON `auctions` (`seller_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `auctions_category_idx` ON `auctions` (`category`);--> statement-breakpoint
CREATE TABLE `dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`queue` text NOT NULL,
	`message_id` text NOT NULL,
	`body` text NOT NULL,
	`attempts` integer NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `inbox_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`recipient_id` text NOT NULL,
	`event_id` text NOT NULL,
	`kind` text NOT NULL,
	`auction_id` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`data` text NOT NULL,
	`created_at` integer NOT NULL,
	`read_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbox_event_recipient_uq` ON `inbox_messages` (`event_id`,`recipient_id`);--> statement-breakpoint
CREATE INDEX `inbox_recipient_idx` ON `inbox_messages` (`recipient_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `inbox_unread_idx` ON `inbox_messages` (`recipient_id`) WHERE read_at IS NULL;--> statement-breakpoint
CREATE TABLE `login_attempts` (
	`username` text PRIMARY KEY NOT NULL,
	`failures` integer NOT NULL,
	`window_started_at` integer NOT NULL,
	`locked_until` integer
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_token_hash_unique` ON `sessions` (`token_hash`);--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`nickname` text NOT NULL,
	`password_hash` text NOT NULL,
	`password_salt` text NOT NULL,
	`password_iterations` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);--> statement-breakpoint
CREATE TABLE `watchers` (
	`user_id` text NOT NULL,
	`auction_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `auction_id`)
);
--> statement-breakpoint
CREATE INDEX `watchers_auction_idx` ON `watchers` (`auction_id`);