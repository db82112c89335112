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

/** A message's dedupe key. */
export interface MessageKey {
  channel: string;
  externalId: string;
}

export interface StoredThread extends ThreadRef {
  channel: string;
  threadKey: string;
  normalizedSubject: string | null;
  firstAt: Date;
  lastAt: Date;
}

export interface LiveCustomer {
  id: string;
  companyId: string | null;
}

/**
 * Storage as the pipeline sees it, bound to one transaction: every method works on a whole batch
 * at once (one statement each), so a batch of 500 messages costs about as many round trips as one.
 */
export interface CaptureStore {
  findCommunications(keys: MessageKey[]): Promise<(ExistingCommunication & MessageKey)[]>;
  /** Non-deleted customers holding any of these identities. */
  findIdentityHolders(keys: IdentityKey[]): Promise<IdentityHolder[]>;
  /** Companies listing any of these domains (lower-cased), one row per (company, domain). */
  findCompaniesByDomain(domains: string[]): Promise<(CompanyRef & { domain: string })[]>;
  /** Which of these keys are known staff identities. */
  findStaff(keys: IdentityKey[]): Promise<IdentityKey[]>;
  findCompanies(ids: string[]): Promise<CompanyRef[]>;
  /**
   * Share-locks these customers until the transaction ends, so a merge cannot move them away
   * between matching and storing. Each id maps to the live customer — itself, or the customer it was
   * merged into — or to null when deleted; ids that are not customers are absent.
   */
  holdCustomers(ids: string[]): Promise<Map<string, LiveCustomer | null>>;
  findThreadsByKeys(keys: { channel: string; threadKey: string }[]): Promise<StoredThread[]>;
  /** The threads of stored messages with these external ids (email References). */
  findThreadsByMessageIds(keys: MessageKey[]): Promise<(MessageKey & { thread: StoredThread })[]>;
  /** Threads of these customers with these normalized subjects, active within [from, to]. */
  findThreadsBySubjects(queries: { channel: string; customerId: string; normalizedSubject: string }[], window: { from: Date; to: Date }): Promise<StoredThread[]>;
  insertContacts(contacts: (NewContact & { id: string })[]): Promise<void>;
  /** Inserts new threads; a key that exists already keeps its row: the returned map says each key's id. */
  insertThreads(threads: (NewThread & { id: string; lastAt: Date })[]): Promise<Map<string, ThreadRef>>;
  /** Extends threads' time spans and sets their customer where they had none. */
  touchThreads(updates: { id: string; firstAt: Date; lastAt: Date; customerId: string | null }[]): Promise<void>;
  /** Inserts; returns the ids actually inserted (a (channel, external_id) conflict inserts nothing). */
  insertCommunications(rows: (NewCommunication & { id: string })[]): Promise<Set<string>>;
  enqueueReviews(items: NewReviewItem[]): Promise<void>;
}
