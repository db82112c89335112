// Whether Slack is configured, read from the configuration alone: callers that only need to know
// (alerts, at every capture) do not load Bolt for it.
import type { SlackAdapterConfig } from '../../adapters/slack/index.js';
import { ConfigError, type Config } from '../config.js';

/** Slack is on when a bot token is configured; a token without its signing secret is an error. */
export function slackConfigOf(config: Config): SlackAdapterConfig | null {
  if (!config.SLACK_BOT_TOKEN) return null;
  const socketMode = config.SLACK_SOCKET_MODE;
  if (socketMode && !config.SLACK_APP_TOKEN) throw new ConfigError('invalid configuration — SLACK_APP_TOKEN: required when SLACK_SOCKET_MODE is on');
  if (!socketMode && !config.SLACK_SIGNING_SECRET) throw new ConfigError('invalid configuration — SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (HTTP mode)');
  return {
    botToken: config.SLACK_BOT_TOKEN,
    signingSecret: config.SLACK_SIGNING_SECRET ?? '',
    allowedTeamIds: config.SLACK_ALLOWED_TEAM_IDS,
    slackApiUrl: config.SLACK_API_URL,
    appToken: config.SLACK_APP_TOKEN,
    socketMode,
    command: config.SLACK_COMMAND,
  };
}
