// The presets a webhook source can use: each maps a request body to an InboundMessage.
import type { Mapping } from '../delivery.js';
import { formMapping } from './form.js';
import { genericMapping } from './generic.js';
import { rawEmailMapping } from './raw-email.js';

export const webhookPresets = ['generic', 'form', 'raw-email'] as const;
export type WebhookPreset = (typeof webhookPresets)[number];

export const mappings: Record<WebhookPreset, Mapping> = {
  generic: genericMapping,
  form: formMapping,
  'raw-email': rawEmailMapping,
};

export function isWebhookPreset(value: string): value is WebhookPreset {
  return (webhookPresets as readonly string[]).includes(value);
}
