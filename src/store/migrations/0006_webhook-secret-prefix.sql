ALTER TABLE "webhook_sources" ADD COLUMN "secret_prefix" text;--> statement-breakpoint
-- Secrets stored unsealed (written without a key) give their prefix now; sealed ones get it at their next rotation.
UPDATE "webhook_sources" SET "secret_prefix" = left("secret", 12) WHERE "secret" NOT LIKE 'rsb1.%';
