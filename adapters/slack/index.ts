// The Slack channel adapter: what the wiring outside adapters/ uses.
export { createSlackAdapter, type SlackAdapter, type SlackAdapterConfig } from './slack-app.js';
export type * from './ports.js';
export { checkSlackSignature, signSlackRequest } from './verify-signature.js';
export type { SlackHttpRequest, SlackHttpResponse } from './receiver.js';
