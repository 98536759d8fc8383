CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`auction_id` text NOT NULL,
	`buyer_id` text NOT NULL,
	`seller_id` text NOT NULL,
	`status` text NOT NULL,
	`price` integer NOT NULL,
	`fee` integer NOT NULL,
	`currency` text NOT NULL,
	`title` text NOT NULL,
	`paid_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`last_seq` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `orders_buyer_idx` ON `orders` (`buyer_id`,`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `orders_seller_idx` ON `orders` (`seller_id`,`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `orders_status_idx` ON `orders` (`status`,`updated_at`,`id`);