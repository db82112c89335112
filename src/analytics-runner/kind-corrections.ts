// A person's correction of a message's kind or sentiment, the same for the API, the CLI and Slack:
// checked, recorded, applied to the message and its thread at once; the nightly retrain learns it.
import { sentimentClasses, type SentimentClass } from '../analytics/kind-corpus.js';
import { kinds, type Kind } from '../analytics/kind.js';
import { notFound, RapportError } from '../core/errors.js';
import type { DbOrTx } from '../store/database.js';
import { communicationIdByPrefix, correctCommunication, type CorrectionResult, type CorrectionSource } from '../store/kinds-repo.js';

export interface KindCorrection {
  kind?: string | undefined;
  sentiment?: string | undefined;
  by: string;
  source: CorrectionSource;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function checkCorrection(c: { kind?: string | undefined; sentiment?: string | undefined }): { kind?: Kind; sentiment?: SentimentClass } {
  const fields: { field: string; message: string }[] = [];
  if (c.kind !== undefined && !(kinds as readonly string[]).includes(c.kind)) fields.push({ field: 'kind', message: `one of ${kinds.join(', ')}` });
  if (c.sentiment !== undefined && !(sentimentClasses as readonly string[]).includes(c.sentiment)) fields.push({ field: 'sentiment', message: 'one of neg, neu, pos' });
  if (c.kind === undefined && c.sentiment === undefined) fields.push({ field: 'kind', message: 'give a kind, a sentiment or both' });
  if (fields.length) throw new RapportError('validation', `bad correction: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, { fields });
  return { ...(c.kind !== undefined ? { kind: c.kind as Kind } : {}), ...(c.sentiment !== undefined ? { sentiment: c.sentiment as SentimentClass } : {}) };
}

/** Corrects a message by id (or, when `allowPrefix`, a unique id prefix); not_found when unknown. */
export async function correctKind(db: DbOrTx, idOrPrefix: string, correction: KindCorrection, allowPrefix = false): Promise<CorrectionResult> {
  const checked = checkCorrection(correction);
  let id = idOrPrefix.trim();
  if (!UUID.test(id)) {
    const found = allowPrefix ? await communicationIdByPrefix(db, id) : { id: null, candidates: 0 };
    if (found.candidates > 1) throw new RapportError('validation', `several communications start with ${id}: give more of the id`, { fields: [{ field: 'id', message: 'ambiguous prefix' }] });
    if (!found.id) throw notFound('communication', id);
    id = found.id;
  }
  const result = await correctCommunication(db, id, { ...checked, by: correction.by, source: correction.source });
  if (!result) throw notFound('communication', id);
  return result;
}
