// Webhook sources from configuration, for deployments that keep secrets in the environment:
//   RAPPORT_WEBHOOK_SOURCES=shop:form:whsec_…,relay:raw-email:whsec_new|whsec_old
// Each entry is `name:preset:secret`; `secret|previous` accepts two secrets during a rotation.
import { z } from 'zod';
import { isWebhookPreset, sourceNamePattern, sourceNameRule, type ConfiguredWebhookSource } from './core/webhook-sources.js';

const secretPattern = /^[\x21-\x7e]{16,}$/;

export const webhookSourcesEnv = z
  .string()
  .optional()
  .transform((raw, ctx): ConfiguredWebhookSource[] => {
    const sources: ConfiguredWebhookSource[] = [];
    for (const entry of (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
      const [name = '', preset = '', secretList = '', ...rest] = entry.split(':');
      const secrets = secretList.split('|').filter(Boolean);
      // The message names the entry, never its secret.
      const fail = (why: string) => ctx.addIssue({ code: 'custom', message: `entry "${name}": ${why}` });
      if (rest.length || !name || !preset || !secrets.length) fail('expected name:preset:secret');
      else if (!sourceNamePattern.test(name)) fail(`the name must be ${sourceNameRule}`);
      else if (!isWebhookPreset(preset)) fail('preset must be generic, form or raw-email');
      else if (secrets.length > 2 || !secrets.every((s) => secretPattern.test(s) && !s.includes(','))) {
        fail('one or two secrets separated by "|", each 16+ printable characters without ":" or ","');
      } else if (sources.some((s) => s.name === name)) fail('the name is used twice');
      else sources.push({ name, preset, secrets });
    }
    return sources;
  });
