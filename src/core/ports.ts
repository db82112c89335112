// What the capture pipeline needs from storage, as plain interfaces. src/store/capture-store.ts
// implements them with Drizzle; every call made through a CaptureTx belongs to one transaction, so a
// capture is written whole or not at all.
import type { IdentityKind, NormalizedIdentity } from './customers.js';
import type { AttachmentMeta, ContactRef, Direction, MessageFlag } from './inbound-message.js';

export interface IdentityKey {
  kind: IdentityKind;
  value: string;
}

export interface IdentityHolder extends IdentityKey {
  customerId: string;
  companyId: string | null;
}

export interface CompanyRef {
  id: string;
  name: string;
  domains: string[];
}

export interface ThreadRef {
  id: string;
  customerId: string | null;
}

/** Staff identities kinds: email, Slack user and phone. */
export type StaffIdentityKind = Extract<IdentityKind, 'email' | 'slack_user' | 'phone'>;

export interface NewThread {
  channel: string;
  /** Unique per channel: the explicit key, the email root Message-ID, or the first message's id. */
  threadKey: string;
  customerId: string | null;
  subject: string | null;
  normalizedSubject: string | null;
  kind: string | null;
  occurredAt: Date;
}

export interface NewCommunication {
  channel: string;
  externalId: string;
  direction: Direction;
  kind: string;
  threadId: string | null;
  customerId: string | null;
  companyId: string | null;
  subject: string | null;
  text: string;
  fullText: string | null;
  participants: { role: 'from' | 'to' | 'cc'; email?: string; phone?: string; slackUser?: string; name?: string }[];
  attachments: AttachmentMeta[];
  occurredAt: Date;
  language: string | null;
  flags: MessageFlag[];
  keywords: string[];
  sentiment: number | null;
  /** Stored as jsonb: rule and confidence, plus the would-be customer of a noise message. */
  match: { rule: string; confidence: number; customerId?: string | null; noise?: boolean };
  rawRef: string | null;
  searchText: string;
}

export interface ExistingCommunication {
  id: string;
  customerId: string | null;
  companyId: string | null;
  threadId: string | null;
  direction: Direction;
  match: { rule: string; confidence: number } | null;
  flags: string[];
}

export type ReviewReason = 'unmatched' | 'ambiguous' | 'company_only';

export interface NewReviewItem {
  communicationId: string;
  reason: ReviewReason;
  /** The person the message is about (sender of inbound, recipient of outbound), for linking. */
  contact: ContactRef | null;
  companyId: string | null;
  candidates: { customerId?: string | undefined; companyId?: string | undefined }[];
}

export interface NewContact {
  name: string;
  companyId: string | null;
  identities: NormalizedIdentity[];
}

/** Storage as the pipeline sees it, inside one transaction. */
export interface CaptureTx {
  /** Serializes work on one key until the transaction ends (two deliveries of one message). */
  lock(key: string): Promise<void>;
  findCommunication(channel: string, externalId: string): Promise<ExistingCommunication | null>;
  /** Non-deleted customers holding any of these identities. */
  findIdentityHolders(keys: IdentityKey[]): Promise<IdentityHolder[]>;
  /** Companies listing this domain (lower-cased). */
  findCompaniesByDomain(domains: string[]): Promise<(CompanyRef & { domain: string })[]>;
  /** Which of these keys are known staff identities. */
  findStaff(keys: IdentityKey[]): Promise<IdentityKey[]>;
  findCompany(companyId: string): Promise<CompanyRef | null>;
  /**
   * Share-locks the customer until the transaction ends and returns it — or, when it was merged,
   * the customer it was merged into; null when it is deleted.
   */
  holdCustomer(customerId: string): Promise<{ id: string; companyId: string | null } | null>;
  findThreadByKey(channel: string, threadKey: string): Promise<ThreadRef | null>;
  /** The thread of an already stored message whose external id is one of these (email References). */
  findThreadByMessageIds(channel: string, externalIds: string[]): Promise<ThreadRef | null>;
  /** Latest thread of this customer with this normalized subject, active within [from, to]. */
  findThreadBySubject(channel: string, customerId: string, normalizedSubject: string, window: { from: Date; to: Date }): Promise<ThreadRef | null>;
  /** Insert or get by (channel, threadKey). */
  upsertThread(thread: NewThread): Promise<ThreadRef>;
  /** Extends the thread's time span and sets its customer when it had none. */
  touchThread(threadId: string, occurredAt: Date, customerId: string | null): Promise<void>;
  /** Insert; on (channel, external_id) conflict returns the existing row's id with created=false. */
  insertCommunication(c: NewCommunication): Promise<{ id: string; created: boolean }>;
  createContact(contact: NewContact): Promise<string>;
  enqueueReview(item: NewReviewItem): Promise<void>;
  /** Runs fn in a savepoint: its writes roll back alone when it throws (captureBatch). */
  savepoint<T>(fn: (tx: CaptureTx) => Promise<T>): Promise<T>;
}

export interface CapturePorts {
  /** Runs fn in one transaction: everything it writes commits, or none of it. */
  transaction<T>(fn: (tx: CaptureTx) => Promise<T>): Promise<T>;
}
