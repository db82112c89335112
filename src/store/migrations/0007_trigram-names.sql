-- Trigram (pg_trgm) GIN indexes on lower(name) of customers and companies, so a name lookup
-- (`lower(name) like '%text%'`, src/store/customer-lookup.ts) reads the index instead of every row.
-- Where pg_trgm cannot be created (not installed, or the user may not create extensions) the
-- migration still succeeds, with a notice, and lookups scan as before.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN others THEN
  RAISE NOTICE 'pg_trgm is not available (%): name lookups work without a trigram index', SQLERRM;
END
$$;
--> statement-breakpoint
DO $$
DECLARE
  ext_schema text := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm');
BEGIN
  IF ext_schema IS NOT NULL THEN
    EXECUTE format('CREATE INDEX IF NOT EXISTS customers_name_trgm_idx ON customers USING gin (lower(name) %I.gin_trgm_ops)', ext_schema);
    EXECUTE format('CREATE INDEX IF NOT EXISTS companies_name_trgm_idx ON companies USING gin (lower(name) %I.gin_trgm_ops)', ext_schema);
  END IF;
END
$$;
