// Batch writes and lookups pass one array per column and unnest() them: a statement of a few
// parameters whatever the batch size, built in microseconds (a multi-row VALUES through the query
// builder costs about 0.1 ms a row to build, as much as the database takes to write it).
//   insert into t (a, b) select * from unnest(${uuidArray(as)}, ${textArray(bs)})
import { sql } from 'drizzle-orm';

export const textArray = (values: readonly string[]) => sql`${sql.param([...values])}::text[]`;
export const nullableTextArray = (values: readonly (string | null | undefined)[]) => sql`${sql.param(values.map((v) => v ?? null))}::text[]`;
export const uuidArray = (values: readonly (string | null)[]) => sql`${sql.param([...values])}::uuid[]`;
export const timeArray = (values: readonly Date[]) => sql`${sql.param(values.map((d) => d.toISOString()))}::timestamptz[]`;

/** A PostgreSQL array literal: `{"a","b \"c\""}`; every element quoted, so "NULL" stays a string. */
export const arrayLiteral = (values: readonly string[]) => `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;

/**
 * A text[] column of a batch (one array per row, of any lengths): unnest() cannot take a ragged
 * two-dimensional array, so each row's array travels as its literal in a text[], and the statement
 * casts it back per row: `select v.tags::text[] from unnest(${textArrayColumn(tags)}) as v(tags)`.
 */
export const textArrayColumn = (values: readonly (readonly string[])[]) => sql`${sql.param(values.map(arrayLiteral))}::text[]`;
