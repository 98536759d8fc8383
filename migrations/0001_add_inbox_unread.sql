CREATE TABLE `inbox_unread` (
	`user_id` text PRIMARY KEY NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
-- Backfill from the messages already there (hand-written: drizzle-kit does not generate data moves).
INSERT INTO `inbox_unread` (`user_id`, `count`)
SELECT `recipient_id`, COUNT(*) FROM `inbox_messages` WHERE `read_at` IS NULL GROUP BY `recipient_id`;
