// The webhook channel wired to Rapport: a request for a source is checked against the source's
// secrets (held in memory; the append holds only while the source's row still has them, so a
// rotation or removal takes effect at once), mapped by its preset, and appended to the inbox — the
// sender's 202 waits for that commit and nothing else. An unknown source answers exactly like a bad
// signature, so source names cannot be discovered.
import { toInboundMessage, verifySignature, type ParseEmail, type WebhookRequest, type WebhookSource } from '../../adapters/webhook/index.js';
import type { AppContext } from '../context.js';
import { isRapportError } from '../core/errors.js';
import { isWebhookPreset, sourceNamePattern } from '../core/webhook-sources.js';
import { parseEmail } from '../mail/parse-email.js';
import { secretBoxFor } from '../secret-key.js';
import { readWebhookSource, secretsAt, type HeldWebhookSource, type WebhookSourceScope } from '../store/webhook-sources-repo.js';
import type { Channels } from './index.js';

export { generateWebhookSecret, isWebhookPreset, signatureHeader, signatureHeaderValue, webhookPresets, type ParseEmail, type WebhookRequest } from '../../adapters/webhook/index.js';

export interface WebhookChannel {
  /** Verifies, maps and accepts one delivery: `accepted` (new) or `duplicate` (seen before), with a stable id. */
  receive(sourceName: string, request: WebhookRequest): Promise<{ id: string; status: 'accepted' | 'duplicate' }>;
}

export function webhookChannel(ctx: AppContext, channels: Channels, opts: { parseEmail?: ParseEmail | undefined } = {}): WebhookChannel {
  const scope: WebhookSourceScope = { configured: ctx.config.RAPPORT_WEBHOOK_SOURCES, box: secretBoxFor(ctx.config, ctx.database) };
  const parse: ParseEmail = opts.parseEmail ?? ((raw) => parseEmail(raw));
  const read = coalesced(async (name: string): Promise<HeldWebhookSource | null> => {
    const found = await readWebhookSource(ctx.database.db, scope, name);
    return found && isWebhookPreset(found.preset) ? found : null;
  });
  // Sources as last read, by name. A delivery is checked against these without a read of its own;
  // its append then holds only if the row still has the same secrets (the guard, checked in the
  // same statement), else the row is read again and the delivery checked against what it is now.
  // So a rotation or removal still takes effect at once, across processes.
  const held = new Map<string, HeldWebhookSource>();
  const maxHeld = 1_000;
  const fresh = async (name: string): Promise<HeldWebhookSource | null> => {
    const found = await read(name);
    if (found) {
      if (held.size >= maxHeld) held.clear();
      held.set(name, found);
    } else held.delete(name);
    return found;
  };

  return {
    async receive(sourceName, request) {
      // A name no source can have (a NUL byte, 5,000 characters) is unknown without asking the database.
      const known = sourceNamePattern.test(sourceName);
      let source = known ? (held.get(sourceName) ?? null) : null;
      let reread = source === null;
      if (reread && known) source = await fresh(sourceName);
      for (;;) {
        if (!source) {
          // As a wrong signature would be answered: the same code, status and kind of message.
          verifySignature({ secrets: [], header: request.signature, rawBody: request.rawBody });
          throw new Error('unreachable: a signature cannot match no secret');
        }
        let message;
        try {
          message = await toInboundMessage(asSource(source), request, { parseEmail: parse });
        } catch (e) {
          // Signed with a secret the held row does not have (a rotation since): read it again.
          if (!reread && isRapportError(e) && e.code === 'bad_signature') {
            source = await fresh(sourceName);
            reread = true;
            continue;
          }
          throw e;
        }
        if (!source.guard) return channels.inbox.accept(message);
        const result = await channels.inbox.acceptIf(message, source.guard);
        if (result) return result;
        // The row changed after it was read: read it again and check the delivery against it.
        source = await fresh(sourceName);
        reread = true;
      }
    },
  };
}

const asSource = (held: HeldWebhookSource): WebhookSource => ({ name: held.name, preset: held.preset as WebhookSource['preset'], secrets: secretsAt(held) });

/**
 * Reads of one key that are asked for while a read of it is on its way share the next read: every
 * caller gets a value read after it asked (never an older one), and a burst of N requests for a
 * source costs a few queries, not N.
 */
export function coalesced<T>(read: (key: string) => Promise<T>): (key: string) => Promise<T> {
  interface Waiter {
    resolve(value: T): void;
    reject(e: unknown): void;
  }
  const keys = new Map<string, { reading: boolean; waiting: Waiter[] }>();
  const next = (key: string, state: { reading: boolean; waiting: Waiter[] }) => {
    const group = state.waiting;
    state.waiting = [];
    state.reading = true;
    read(key)
      .then(
        (value) => group.forEach((w) => w.resolve(value)),
        (e: unknown) => group.forEach((w) => w.reject(e)),
      )
      .finally(() => {
        state.reading = false;
        if (state.waiting.length > 0) next(key, state);
        else keys.delete(key);
      });
  };
  return (key) =>
    new Promise<T>((resolve, reject) => {
      let state = keys.get(key);
      if (!state) keys.set(key, (state = { reading: false, waiting: [] }));
      state.waiting.push({ resolve, reject });
      if (!state.reading) next(key, state);
    });
}
