// The one contract between channels and the capture pipeline: every channel adapter turns its
// vendor input into an InboundMessage and hands it to `capture`. Nothing else crosses that line.

/** Whatever identifies a person on the channel; any subset may be known. */
export interface ContactRef {
  email?: string | undefined;
  phone?: string | undefined;
  slackUser?: string | undefined;
  name?: string | undefined;
  externalId?: string | undefined;
}

export interface AttachmentMeta {
  name: string | null;
  type: string;
  size: number;
  sha256?: string | undefined;
}

export type Direction = 'inbound' | 'outbound' | 'internal';

/** Flags that keep a message out of customer history and analytics (it is still stored). */
export const noiseFlags = ['auto_reply', 'bounce', 'mailing_list', 'own_message'] as const;
export type MessageFlag = (typeof noiseFlags)[number] | 'parse_error' | 'bad_date' | 'edited' | 'deleted' | 'forwarded' | 'truncated' | (string & {});

export interface InboundMessage {
  /** 'email' | 'slack' | 'webhook' | a future channel: the dispatcher's key. */
  channel: string;
  /** Unique within the channel: email Message-ID, Slack `team:channel:ts`, webhook `source:id`. */
  externalId: string;
  threadHints: {
    /** An explicit thread key from the channel (Slack thread_ts, a webhook's thread id). */
    key?: string | undefined;
    /** Email threading headers. */
    inReplyTo?: string | undefined;
    references?: string[] | undefined;
  };
  /** What the channel knows (e.g. the IMAP Sent folder → outbound); matching decides otherwise. */
  directionHint?: Direction | undefined;
  from: ContactRef;
  to: ContactRef[];
  cc?: ContactRef[] | undefined;
  subject?: string | undefined;
  /** The new part of the message: quoted replies and signatures removed. */
  text: string;
  /** The full text as received, when it differs from `text`. */
  fullText?: string | undefined;
  html?: string | undefined;
  attachments: AttachmentMeta[];
  occurredAt: Date;
  flags: MessageFlag[];
  /** The original sender inside a forward (set by the email parser when a forward is found). */
  forwardedFrom?: ContactRef | undefined;
  /** A kind the channel already knows ('note', 'feedback'); analysis decides otherwise. */
  kindHint?: string | undefined;
  /** The channel already knows whose message this is (a linked Slack channel, "send thread to CRM"). */
  customerHint?: { customerId?: string | undefined; companyId?: string | undefined } | undefined;
  /** Where the original lives (IMAP mailbox/folder/uid, Slack permalink, webhook delivery id). */
  rawRef?: string | undefined;
}

export interface MatchResult {
  /** 'identity:email' | 'identity:phone' | 'identity:slack_user' | 'identity:external_id' |
   *  'forwarded' | 'company_domain' | 'hint' | 'staff' | 'unmatched' | 'ambiguous' */
  rule: string;
  /** 0..1: 1 for an exact identity, lower for a forward or a company domain, 0 when unmatched. */
  confidence: number;
  customerId: string | null;
  companyId: string | null;
  /** True when this capture created the customer (RAPPORT_AUTO_CREATE). */
  createdCustomer?: boolean | undefined;
  /** For 'ambiguous': the customers or companies that could be meant. */
  candidates?: { customerId?: string | undefined; companyId?: string | undefined }[] | undefined;
}

export interface CaptureResult {
  /** The communication's id; a duplicate delivery returns the first delivery's id. */
  id: string;
  /** 'rejected' only from captureBatch: that message was invalid and skipped (see `error`). */
  status: 'created' | 'duplicate' | 'updated' | 'rejected';
  customerId: string | null;
  threadId: string | null;
  direction: Direction;
  match: MatchResult;
  /** True when the message went to the review queue (unmatched, ambiguous, or company only). */
  queuedForReview?: boolean | undefined;
  /** Carries a noise flag: stored, but not attached to a customer (see README "Capture"). */
  noise?: boolean | undefined;
  /** For 'rejected': why, with a stable code. */
  error?: { code: string; message: string } | undefined;
}

/** The capture pipeline as channels see it: dedupe → match → thread → analyze → store, atomically. */
export type Capture = (message: InboundMessage) => Promise<CaptureResult>;
