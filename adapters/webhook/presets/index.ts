// The presets a webhook source can use: each maps a request body to an InboundMessage.
import type { WebhookPreset } from '../../../src/core/webhook-sources.js';
import type { Mapping } from '../delivery.js';
import { formMapping } from './form.js';
import { genericMapping } from './generic.js';
import { rawEmailMapping } from './raw-email.js';

export { webhookPresets, isWebhookPreset, type WebhookPreset } from '../../../src/core/webhook-sources.js';

export const mappings: Record<WebhookPreset, Mapping> = {
  generic: genericMapping,
  form: formMapping,
  'raw-email': rawEmailMapping,
};
