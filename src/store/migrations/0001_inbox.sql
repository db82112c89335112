CREATE TABLE "inbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"channel" text NOT NULL,
	"external_id" text NOT NULL,
	"payload" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"error" jsonb,
	"communication_id" uuid,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone,
	CONSTRAINT "inbox_status_check" CHECK ("inbox"."status" in ('pending','captured','review','noise','duplicate','failed'))
);
--> statement-breakpoint
DROP INDEX "threads_customer_subject_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "inbox_channel_external_key" ON "inbox" USING btree ("channel","external_id");--> statement-breakpoint
CREATE INDEX "inbox_pending_idx" ON "inbox" USING btree ("seq") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "inbox_failed_idx" ON "inbox" USING btree ("seq") WHERE status = 'failed';--> statement-breakpoint
CREATE INDEX "inbox_communication_idx" ON "inbox" USING btree ("communication_id");--> statement-breakpoint
CREATE INDEX "threads_customer_subject_idx" ON "threads" USING btree ("customer_id",md5("normalized_subject"),"last_at");--> statement-breakpoint
-- Every message captured before the inbox existed is in the ledger, settled, under its own id: a
-- late redelivery of one of them is answered as a duplicate with the id its sender first got.
INSERT INTO "inbox" ("id", "channel", "external_id", "status", "communication_id", "received_at", "settled_at")
SELECT c."id", c."channel", c."external_id",
  CASE
    WHEN (c."match"->>'noise') = 'true' THEN 'noise'
    WHEN EXISTS (SELECT 1 FROM "review_items" r WHERE r."communication_id" = c."id") THEN 'review'
    ELSE 'captured'
  END,
  c."id", c."created_at", c."created_at"
FROM "communications" c
ORDER BY c."created_at", c."id";
