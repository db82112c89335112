-- Trigram (pg_trgm) GIN indexes on the contact values the console's customer search matches with
-- `like '%text%'` (src/store/console-customers-query.ts): email addresses as shown and phone
-- numbers. Partial, one kind each, as the queries ask. Without them that search read every
-- identity: 215 ms median at 100,000 customers. Skipped, like 0007's, where pg_trgm is missing.
DO $$
DECLARE
  ext_schema text := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm');
BEGIN
  IF ext_schema IS NOT NULL THEN
    EXECUTE format('CREATE INDEX IF NOT EXISTS identities_email_display_trgm_idx ON identities USING gin (lower(display) %I.gin_trgm_ops) WHERE kind = ''email''', ext_schema);
    EXECUTE format('CREATE INDEX IF NOT EXISTS identities_phone_value_trgm_idx ON identities USING gin (value %I.gin_trgm_ops) WHERE kind = ''phone''', ext_schema);
  END IF;
END
$$;
