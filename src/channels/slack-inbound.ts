// A Slack message as an InboundMessage, for callers outside the Slack channel that replay Slack
// data (the demo sample) without loading Bolt.
export { toInbound } from '../../adapters/slack/slack-message.js';
