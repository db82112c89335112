// Every job Rapport runs, in one list. A new recurring task adds its spec here.
import type { AppContext } from '../context.js';
import { analyticsJob } from './analytics.js';
import { backupJob } from './backup.js';
import { slackDigestSender } from '../channels/slack.js';
import { digestJob, digestOptions, mailerFromConfig, type DigestSenders } from './digests.js';
import type { JobSpec } from './scheduler.js';

export function allJobs(ctx: AppContext): JobSpec<never>[] {
  let senders: DigestSenders | null = null;
  const digestSenders = (): DigestSenders => (senders ??= { mail: mailerFromConfig(ctx), slack: slackDigestSender(ctx) });
  const jobs = [digestJob(digestSenders, () => digestOptions(ctx)) as JobSpec<never>, analyticsJob() as JobSpec<never>];
  if (ctx.config.RAPPORT_BACKUP_DIR) jobs.push(backupJob() as JobSpec<never>);
  return jobs;
}
