CREATE TABLE "kind_corrections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"communication_id" uuid NOT NULL,
	"old_kind" text NOT NULL,
	"new_kind" text,
	"old_sentiment" real,
	"new_sentiment" text,
	"corrected_by" text NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kind_models" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version" integer NOT NULL,
	"promoted" boolean DEFAULT false NOT NULL,
	"metrics" jsonb NOT NULL,
	"model" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kind_corrections" ADD CONSTRAINT "kind_corrections_communication_id_communications_id_fk" FOREIGN KEY ("communication_id") REFERENCES "public"."communications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kind_corrections_communication_idx" ON "kind_corrections" USING btree ("communication_id","created_at");--> statement-breakpoint
CREATE INDEX "kind_corrections_created_idx" ON "kind_corrections" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "kind_models_version_key" ON "kind_models" USING btree ("version");--> statement-breakpoint
CREATE INDEX "kind_models_promoted_idx" ON "kind_models" USING btree ("promoted","version");