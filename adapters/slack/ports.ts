// What the Slack adapter needs from the rest of Rapport, as plain interfaces. The adapter imports no
// store: src/channels/slack.ts implements these over the database and the inbox.
import type { CustomerCard, CustomerSummary, LookupOutcome } from '../../src/core/customer-card.js';
import type { Capture, InboundMessage } from '../../src/core/inbound-message.js';
import type { SlackProfile } from '../../src/core/slack-profile.js';

export type { CommunicationLine, CustomerCard, CustomerSummary, LookupKind, LookupOutcome, OpenThread } from '../../src/core/customer-card.js';

export interface ChannelLink {
  teamId: string;
  channelId: string;
  customerId: string | null;
  companyId: string | null;
  /** "Zhang San (Acme)" or "Acme": for messages. */
  label: string;
  shared: boolean;
}

export interface LinkTarget {
  customerId: string | null;
  companyId: string | null;
  label: string;
}

export type { SlackProfile } from '../../src/core/slack-profile.js';

export interface DigestPreview {
  text: string;
  /** Block Kit blocks, when the digest renders its own. */
  blocks?: unknown[] | undefined;
}

export interface StoredThread {
  threadId: string | null;
  link: string | null;
}

export interface SlackPorts {
  /** Accepts a message and waits until it is captured (notes, "send thread to CRM"). */
  capture: Capture;
  /** Accepts a message into the inbox (durable once this resolves); capture follows. */
  append(message: InboundMessage): Promise<{ id: string; status: 'accepted' | 'duplicate' }>;
  lookupCustomers(query: string, limit: number): Promise<LookupOutcome>;
  customerCard(customerId: string): Promise<CustomerCard | null>;
  customerSummary(customerId: string): Promise<CustomerSummary | null>;
  /** A company (by name or domain) or a customer (as for lookup) to link a channel to. */
  resolveLinkTarget(query: string): Promise<{ targets: LinkTarget[]; suggestions: string[] }>;
  linkChannel(link: Omit<ChannelLink, 'label'> & { linkedBy: string }): Promise<void>;
  unlinkChannel(teamId: string, channelId: string): Promise<boolean>;
  channelLink(teamId: string, channelId: string): Promise<ChannelLink | null>;
  cachedProfile(teamId: string, userId: string): Promise<SlackProfile | null>;
  rememberProfile(profile: Omit<SlackProfile, 'fetchedAt'>): Promise<void>;
  /** Customers holding any of these Slack user ids or emails (for "is the customer obvious?"). */
  customersOf(people: { slackUser?: string | undefined; email?: string | undefined }[]): Promise<string[]>;
  /** An edit: replaces the stored text. False when the message was never captured. */
  editMessage(externalId: string, text: string): Promise<boolean>;
  /** A deletion: flags the stored message `deleted` (kept for the record). */
  deleteMessage(externalId: string): Promise<boolean>;
  /** Marks a stored thread as feedback on this customer (Send thread to CRM). */
  fileThread(threadId: string, customerId: string, kind: string): Promise<StoredThread>;
  /** True the first time a delivery key is claimed; release it when processing failed. */
  claimDelivery(key: string): Promise<boolean>;
  releaseDelivery(key: string): Promise<void>;
  /** A person's correction of a message's kind or sentiment (recorded, applied to its thread, learned nightly). */
  correctCommunication(communicationId: string, change: { kind?: string; sentiment?: string }, by: string): Promise<{ old: { kind: string; sentiment: number | null }; new: { kind: string; sentiment: number | null } }>;
  /** Today's digest, or null when the digest is not configured. */
  digestPreview(): Promise<DigestPreview | null>;
}
