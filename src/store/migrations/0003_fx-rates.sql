CREATE TABLE "fx_rates" (
	"currency" text NOT NULL,
	"reporting_currency" text NOT NULL,
	"as_of" date NOT NULL,
	"rate_to_reporting" double precision NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fx_rates_currency_reporting_currency_as_of_pk" PRIMARY KEY("currency","reporting_currency","as_of")
);
