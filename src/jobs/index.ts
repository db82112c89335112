// Every job Rapport runs, in one list. A new recurring task adds its spec here.
import type { AppContext } from '../context.js';
import { channelsOf } from '../channels/index.js';
import { mailerFromConfig } from '../channels/smtp.js';
import { slackConfigOf } from '../channels/slack-config.js';
import { analyticsJob } from './analytics.js';
import { digestJob, digestOptions, type DigestSenders } from './digests.js';
import { backupJob } from './backup.js';
import type { JobSpec } from './scheduler.js';

export function allJobs(ctx: AppContext): JobSpec<never>[] {
  let senders: DigestSenders | null = null;
  const slack: DigestSenders['slack'] = slackConfigOf(ctx.config)
    ? async (channel, message) => {
        const adapter = await channelsOf(ctx).slack();
        await adapter!.api.postMessage(channel, message);
      }
    : undefined;
  const digestSenders = (): DigestSenders => (senders ??= { mail: mailerFromConfig(ctx), slack });
  const jobs = [digestJob(digestSenders, () => digestOptions(ctx)) as JobSpec<never>, analyticsJob() as JobSpec<never>];
  if (ctx.config.RAPPORT_BACKUP_DIR) jobs.push(backupJob() as JobSpec<never>);
  return jobs;
}
