// What a webhook source is, as configuration and storage see it: a name, a preset that maps its
// bodies, and its secrets. The presets themselves (the mappings) live in adapters/webhook.
export const webhookPresets = ['generic', 'form', 'raw-email'] as const;
export type WebhookPreset = (typeof webhookPresets)[number];

export function isWebhookPreset(value: string): value is WebhookPreset {
  return (webhookPresets as readonly string[]).includes(value);
}

export const sourceNamePattern = /^[a-z0-9][a-z0-9_-]{0,62}$/;
export const sourceNameRule = 'lower-case letters, digits, "-" and "_", at most 63, starting with a letter or digit';

export interface ConfiguredWebhookSource {
  name: string;
  preset: WebhookPreset;
  secrets: string[];
}
