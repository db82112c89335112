CREATE TABLE "companies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"domains" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"company_id" uuid,
	"owner" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "identities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"value" text NOT NULL,
	"display" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "identities_kind_check" CHECK ("identities"."kind" in ('email','phone','slack_user','external_id'))
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"currency" text NOT NULL,
	"status" text NOT NULL,
	"ordered_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "communications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel" text NOT NULL,
	"direction" text NOT NULL,
	"kind" text DEFAULT 'message' NOT NULL,
	"external_id" text NOT NULL,
	"thread_id" uuid,
	"customer_id" uuid,
	"company_id" uuid,
	"subject" text,
	"text" text DEFAULT '' NOT NULL,
	"full_text" text,
	"participants" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"attachments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"language" text,
	"flags" text[] DEFAULT '{}'::text[] NOT NULL,
	"keywords" text[] DEFAULT '{}'::text[] NOT NULL,
	"sentiment" real,
	"match" jsonb,
	"raw_ref" text,
	"search_text" text DEFAULT '' NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text) || to_tsvector('english'::regconfig, coalesce(subject, '') || ' ' || text)) STORED,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "threads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel" text NOT NULL,
	"thread_key" text NOT NULL,
	"customer_id" uuid,
	"subject" text,
	"normalized_subject" text,
	"kind" text,
	"status" text DEFAULT 'open' NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"scope" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "customer_merges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source_customer_id" uuid NOT NULL,
	"target_customer_id" uuid NOT NULL,
	"merged_by" text NOT NULL,
	"merged_at" timestamp with time zone DEFAULT now() NOT NULL,
	"moved" jsonb NOT NULL,
	"kept" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"source_snapshot" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"communication_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"contact" jsonb,
	"company_id" uuid,
	"candidates" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"resolved_customer_id" uuid,
	"resolved_by" text,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "review_items_status_check" CHECK ("review_items"."status" in ('open','linked','dismissed'))
);
--> statement-breakpoint
CREATE TABLE "staff_identities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"value" text NOT NULL,
	"display" text NOT NULL,
	"name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_identities_kind_check" CHECK ("staff_identities"."kind" in ('email','slack_user','phone'))
);
--> statement-breakpoint
CREATE TABLE "email_sync_failures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"mailbox_id" uuid NOT NULL,
	"folder" text NOT NULL,
	"uid_validity" text NOT NULL,
	"uid" bigint NOT NULL,
	"message_id" text,
	"code" text NOT NULL,
	"reason" text NOT NULL,
	"size" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mailbox_folders" (
	"mailbox_id" uuid NOT NULL,
	"path" text NOT NULL,
	"role" text DEFAULT 'other' NOT NULL,
	"uid_validity" text,
	"highest_uid" bigint DEFAULT 0 NOT NULL,
	"messages_seen" bigint DEFAULT 0 NOT NULL,
	"last_sync_at" timestamp with time zone,
	"last_error_code" text,
	"last_error_at" timestamp with time zone,
	CONSTRAINT "mailbox_folders_mailbox_id_path_pk" PRIMARY KEY("mailbox_id","path")
);
--> statement-breakpoint
CREATE TABLE "mailboxes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"host" text NOT NULL,
	"port" integer NOT NULL,
	"tls" boolean DEFAULT true NOT NULL,
	"user" text NOT NULL,
	"auth_kind" text DEFAULT 'password' NOT NULL,
	"secret" text,
	"folders" text[] DEFAULT '{}'::text[] NOT NULL,
	"since" text DEFAULT '90d' NOT NULL,
	"source" text DEFAULT 'cli' NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slack_channel_links" (
	"team_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"customer_id" uuid,
	"company_id" uuid,
	"shared" boolean DEFAULT false NOT NULL,
	"linked_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "slack_channel_links_team_id_channel_id_pk" PRIMARY KEY("team_id","channel_id")
);
--> statement-breakpoint
CREATE TABLE "slack_deliveries" (
	"key" text PRIMARY KEY NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slack_users" (
	"team_id" text NOT NULL,
	"user_id" text NOT NULL,
	"home_team_id" text,
	"email" text,
	"name" text,
	"is_bot" boolean DEFAULT false NOT NULL,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "slack_users_team_id_user_id_pk" PRIMARY KEY("team_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "webhook_sources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"preset" text NOT NULL,
	"secret" text NOT NULL,
	"previous_secret" text,
	"previous_secret_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rotated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "alerts_sent" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"thread_key" text NOT NULL,
	"day" text NOT NULL,
	"communication_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "digest_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subscription_id" uuid NOT NULL,
	"slot" timestamp with time zone NOT NULL,
	"late" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'sending' NOT NULL,
	"error" text,
	"summary" jsonb,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "digest_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"target_kind" text NOT NULL,
	"target" text NOT NULL,
	"owner" text,
	"segment" text,
	"at" text NOT NULL,
	"time_zone" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_counters" (
	"name" text PRIMARY KEY NOT NULL,
	"value" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_terms" (
	"term" text PRIMARY KEY NOT NULL,
	"df" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "communication_vectors" (
	"communication_id" uuid PRIMARY KEY NOT NULL,
	"model_version" integer NOT NULL,
	"terms" text[] NOT NULL,
	"vector" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer_segments" (
	"run_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"segment" integer NOT NULL,
	"label_en" text NOT NULL,
	"label_zh" text NOT NULL,
	CONSTRAINT "customer_segments_run_id_customer_id_pk" PRIMARY KEY("run_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "customer_value_tiers" (
	"model_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"tier" text NOT NULL,
	"confidence" real NOT NULL,
	CONSTRAINT "customer_value_tiers_model_id_customer_id_pk" PRIMARY KEY("model_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "segment_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"k" integer NOT NULL,
	"balanced" boolean NOT NULL,
	"seed" integer NOT NULL,
	"silhouette" double precision NOT NULL,
	"customers" integer NOT NULL,
	"features" jsonb NOT NULL,
	"segments" jsonb NOT NULL,
	"tried" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "value_models" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version" integer NOT NULL,
	"label_source" text NOT NULL,
	"rows" integer NOT NULL,
	"cv_accuracy" double precision,
	"model" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "word_vector_models" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version" integer NOT NULL,
	"dimensions" integer NOT NULL,
	"documents" integer NOT NULL,
	"words" jsonb NOT NULL,
	"vectors" "bytea" NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identities" ADD CONSTRAINT "identities_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communications" ADD CONSTRAINT "communications_thread_id_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."threads"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communications" ADD CONSTRAINT "communications_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communications" ADD CONSTRAINT "communications_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "threads" ADD CONSTRAINT "threads_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_merges" ADD CONSTRAINT "customer_merges_source_customer_id_customers_id_fk" FOREIGN KEY ("source_customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_merges" ADD CONSTRAINT "customer_merges_target_customer_id_customers_id_fk" FOREIGN KEY ("target_customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_items" ADD CONSTRAINT "review_items_communication_id_communications_id_fk" FOREIGN KEY ("communication_id") REFERENCES "public"."communications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_items" ADD CONSTRAINT "review_items_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_items" ADD CONSTRAINT "review_items_resolved_customer_id_customers_id_fk" FOREIGN KEY ("resolved_customer_id") REFERENCES "public"."customers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_sync_failures" ADD CONSTRAINT "email_sync_failures_mailbox_id_mailboxes_id_fk" FOREIGN KEY ("mailbox_id") REFERENCES "public"."mailboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailbox_folders" ADD CONSTRAINT "mailbox_folders_mailbox_id_mailboxes_id_fk" FOREIGN KEY ("mailbox_id") REFERENCES "public"."mailboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slack_channel_links" ADD CONSTRAINT "slack_channel_links_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slack_channel_links" ADD CONSTRAINT "slack_channel_links_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "digest_deliveries" ADD CONSTRAINT "digest_deliveries_subscription_id_digest_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."digest_subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communication_vectors" ADD CONSTRAINT "communication_vectors_communication_id_communications_id_fk" FOREIGN KEY ("communication_id") REFERENCES "public"."communications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_segments" ADD CONSTRAINT "customer_segments_run_id_segment_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."segment_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_segments" ADD CONSTRAINT "customer_segments_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_value_tiers" ADD CONSTRAINT "customer_value_tiers_model_id_value_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."value_models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_value_tiers" ADD CONSTRAINT "customer_value_tiers_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "companies_name_key" ON "companies" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "companies_domains_idx" ON "companies" USING gin ("domains");--> statement-breakpoint
CREATE INDEX "customers_company_idx" ON "customers" USING btree ("company_id");--> statement-breakpoint
CREATE INDEX "customers_owner_idx" ON "customers" USING btree ("owner");--> statement-breakpoint
CREATE INDEX "customers_tags_idx" ON "customers" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "customers_created_idx" ON "customers" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "customers_name_lower_idx" ON "customers" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "identities_kind_value_key" ON "identities" USING btree ("kind","value");--> statement-breakpoint
CREATE INDEX "identities_customer_idx" ON "identities" USING btree ("customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_external_id_key" ON "orders" USING btree ("external_id");--> statement-breakpoint
CREATE INDEX "orders_customer_idx" ON "orders" USING btree ("customer_id","ordered_at");--> statement-breakpoint
CREATE UNIQUE INDEX "communications_channel_external_key" ON "communications" USING btree ("channel","external_id");--> statement-breakpoint
CREATE INDEX "communications_customer_time_idx" ON "communications" USING btree ("customer_id","occurred_at");--> statement-breakpoint
CREATE INDEX "communications_thread_idx" ON "communications" USING btree ("thread_id","occurred_at");--> statement-breakpoint
CREATE INDEX "communications_occurred_idx" ON "communications" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "communications_search_idx" ON "communications" USING gin ("search");--> statement-breakpoint
CREATE UNIQUE INDEX "threads_channel_key" ON "threads" USING btree ("channel","thread_key");--> statement-breakpoint
CREATE INDEX "threads_customer_subject_idx" ON "threads" USING btree ("customer_id","normalized_subject","last_at");--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_key" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "customer_merges_source_idx" ON "customer_merges" USING btree ("source_customer_id");--> statement-breakpoint
CREATE INDEX "customer_merges_target_idx" ON "customer_merges" USING btree ("target_customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "review_items_communication_key" ON "review_items" USING btree ("communication_id");--> statement-breakpoint
CREATE INDEX "review_items_status_idx" ON "review_items" USING btree ("status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_identities_kind_value_key" ON "staff_identities" USING btree ("kind","value");--> statement-breakpoint
CREATE UNIQUE INDEX "email_sync_failures_key" ON "email_sync_failures" USING btree ("mailbox_id","folder","uid_validity","uid");--> statement-breakpoint
CREATE UNIQUE INDEX "mailboxes_name_key" ON "mailboxes" USING btree ("name");--> statement-breakpoint
CREATE INDEX "slack_channel_links_customer_idx" ON "slack_channel_links" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "slack_channel_links_company_idx" ON "slack_channel_links" USING btree ("company_id");--> statement-breakpoint
CREATE INDEX "slack_deliveries_received_idx" ON "slack_deliveries" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_sources_name_key" ON "webhook_sources" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_sent_thread_day_key" ON "alerts_sent" USING btree ("thread_key","day");--> statement-breakpoint
CREATE UNIQUE INDEX "digest_deliveries_slot_key" ON "digest_deliveries" USING btree ("subscription_id","slot");--> statement-breakpoint
CREATE INDEX "digest_deliveries_status_idx" ON "digest_deliveries" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "digest_subscriptions_unique" ON "digest_subscriptions" USING btree ("target_kind","target",coalesce("owner", ''),coalesce("segment", ''));--> statement-breakpoint
CREATE INDEX "communication_vectors_model_idx" ON "communication_vectors" USING btree ("model_version");--> statement-breakpoint
CREATE INDEX "customer_segments_customer_idx" ON "customer_segments" USING btree ("customer_id","run_id");--> statement-breakpoint
CREATE INDEX "customer_value_tiers_customer_idx" ON "customer_value_tiers" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "segment_runs_created_idx" ON "segment_runs" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "value_models_version_key" ON "value_models" USING btree ("version");--> statement-breakpoint
CREATE UNIQUE INDEX "word_vector_models_version_key" ON "word_vector_models" USING btree ("version");