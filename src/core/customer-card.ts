// What Rapport tells about a customer in chat: a lookup's outcome and the customer card. Plain data,
// produced by the store and rendered by the Slack adapter.

export interface CustomerSummary {
  id: string;
  name: string;
  company: string | null;
  /** One identity to tell namesakes apart (an email, else a phone). */
  hint: string | null;
}

export type LookupKind = 'email' | 'domain' | 'phone' | 'slack_user' | 'name';

export interface LookupOutcome {
  kind: LookupKind;
  matches: CustomerSummary[];
  /** More matched than `matches` holds. */
  more: boolean;
  /** When nothing matched: the closest customer and company names. */
  suggestions: string[];
  /** The one match's card, when the lookup was answered from a kept card (see shared-state/card-cache.ts). */
  card?: CustomerCard;
}

export interface CommunicationLine {
  id: string;
  channel: string;
  direction: string;
  kind: string;
  occurredAt: Date;
  who: string | null;
  snippet: string;
  link: string | null;
}

export interface OpenThread {
  id: string;
  kind: string;
  subject: string | null;
  lastAt: Date;
  messages: number;
  link: string | null;
}

export interface CustomerCard {
  id: string;
  name: string;
  company: string | null;
  owner: string | null;
  tags: string[];
  emails: string[];
  phones: string[];
  /** Null until analytics has valued this customer. */
  value: { tier: string; reason: string } | null;
  segment: { label: string; description?: string | undefined } | null;
  totals: { orders: number; revenue: { currency: string; amount: string }[]; communications: number };
  recent: CommunicationLine[];
  keywords: string[];
  openThreads: OpenThread[];
  link: string | null;
  /**
   * Every identity the customer holds, as `kind:value` exactly as stored (`email:ann@example.com`):
   * a kept card confirms that a lookup by one of them still finds this customer.
   */
  identities?: string[];
}

