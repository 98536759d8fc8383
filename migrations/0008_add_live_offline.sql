CREATE TABLE `live_offline` (
	`user_id` text PRIMARY KEY NOT NULL,
	`since` integer NOT NULL
);
