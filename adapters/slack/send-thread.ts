// Message shortcut "Send thread to CRM": the whole thread (every page of conversations.replies)
// becomes one feedback thread on a customer. The customer is the channel's linked customer, or the
// one customer its outside authors are; otherwise a modal asks. Confirmed with an ephemeral message.
import { customerOptions, textMessage, threadCustomerModal } from './blocks.js';
import { loggableError } from './errors.js';
import type { CustomerSummary, SlackPorts } from './ports.js';
import type { AdapterLog, SlackApi, ThreadMessage } from './slack-api.js';
import { isSpoken, isStaff, permalink, Profiles, toInbound } from './slack-message.js';
import { escapeMrkdwn } from './slack-text.js';

export interface SendThreadDeps {
  ports: SlackPorts;
  api: SlackApi;
  profiles: Profiles;
  log: AdapterLog;
  workspaceUrl: () => string | null;
  /** How long to look for the customer before asking with the modal (trigger ids expire in 3 s). */
  decideWithinMs: number;
}

export interface ThreadRequest {
  teamId: string;
  channelId: string;
  rootTs: string;
  userId: string;
  responseUrl: string;
}

/** Who the thread is about, when one customer is obvious; null means ask. */
export async function obviousCustomer(deps: SendThreadDeps, req: ThreadRequest, messages: ThreadMessage[]): Promise<string | null> {
  const link = await deps.ports.channelLink(req.teamId, req.channelId);
  if (link?.customerId) return link.customerId;
  const people: { slackUser: string; email?: string | undefined }[] = [];
  for (const m of messages.filter(isSpoken)) {
    if (people.some((p) => p.slackUser === m.user)) continue;
    const profile = await deps.profiles.get(req.teamId, m.user!);
    if (profile?.isBot || isStaff(req.teamId, m, profile)) continue;
    people.push({ slackUser: m.user!, email: profile?.email ?? undefined });
  }
  if (people.length === 0) return null;
  const customers = await deps.ports.customersOf(people);
  return customers.length === 1 ? customers[0]! : null;
}

export async function saveThread(deps: SendThreadDeps, req: ThreadRequest, customerId: string, fetched?: ThreadMessage[]): Promise<void> {
  try {
    const messages = (fetched ?? (await deps.api.threadMessages(req.channelId, req.rootTs))).filter(isSpoken);
    const link = await deps.ports.channelLink(req.teamId, req.channelId);
    let threadId: string | null = null;
    let created = 0;
    for (const m of messages) {
      const profile = await deps.profiles.get(req.teamId, m.user!);
      const result = await deps.ports.capture(
        toInbound({
          teamId: req.teamId,
          channelId: req.channelId,
          rootTs: req.rootTs,
          message: m,
          profile,
          shared: link?.shared ?? false,
          customerHint: { customerId },
          kindHint: 'feedback',
          workspaceUrl: deps.workspaceUrl(),
        }),
      );
      threadId ??= result.threadId;
      if (result.status !== 'duplicate') created++;
    }
    const customer = await deps.ports.customerSummary(customerId);
    const stored = threadId ? await deps.ports.fileThread(threadId, customerId, 'feedback') : { threadId: null, link: null };
    const where = stored.link ?? permalink(deps.workspaceUrl(), req.channelId, req.rootTs);
    const name = customer ? `*${escapeMrkdwn(customer.name)}*${customer.company ? ` (${escapeMrkdwn(customer.company)})` : ''}` : 'the customer';
    const already = messages.length - created;
    await deps.api.respond(
      req.responseUrl,
      req.channelId,
      textMessage(
        `:white_check_mark: Saved this thread (${messages.length} message${messages.length === 1 ? '' : 's'}${already ? `, ${already} already stored` : ''}) as feedback on ${name}.` +
          (where ? ` <${where}|View the stored thread>` : '') +
          (stored.threadId ? ` · thread ${stored.threadId.slice(0, 8)}` : ''),
        false,
      ),
    );
  } catch (e) {
    deps.log.error({ err: loggableError(e) }, 'send thread to CRM failed');
    await deps.api
      .respond(req.responseUrl, req.channelId, textMessage(`:warning: The thread was not saved (${(e as { code?: string }).code ?? 'internal'}). Please try again.`, false))
      .catch(() => {});
  }
}

/** The shortcut: decide the customer quickly, else open the picker while the trigger is valid. */
export async function onSendThread(deps: SendThreadDeps, req: ThreadRequest & { triggerId: string }): Promise<void> {
  const fetching = deps.api.threadMessages(req.channelId, req.rootTs);
  fetching.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const decided = await Promise.race([
    fetching.then(async (messages) => ({ messages, customerId: await obviousCustomer(deps, req, messages) })),
    new Promise<null>((r) => (timer = setTimeout(() => r(null), deps.decideWithinMs))),
  ]).catch((e: unknown) => ({ error: e }));
  clearTimeout(timer);
  if (decided && 'error' in decided) {
    await deps.api.respond(req.responseUrl, req.channelId, textMessage(`:warning: Could not read the thread (${(decided.error as { code?: string }).code ?? 'internal'}).`, false)).catch(() => {});
    return;
  }
  if (decided?.customerId) return saveThread(deps, req, decided.customerId, decided.messages);
  const meta = JSON.stringify({ t: req.teamId, c: req.channelId, r: req.rootTs, u: req.userId, url: req.responseUrl });
  const suggestions = await suggestionsFor(deps, req);
  await deps.api.openView(req.triggerId, threadCustomerModal(meta, suggestions));
}

async function suggestionsFor(deps: SendThreadDeps, req: ThreadRequest): Promise<CustomerSummary[]> {
  const link = await deps.ports.channelLink(req.teamId, req.channelId);
  if (!link?.companyId) return [];
  const outcome = await deps.ports.lookupCustomers(link.label, 5).catch(() => null);
  return outcome?.matches ?? [];
}

export function parseThreadMeta(raw: string): ThreadRequest | null {
  try {
    const m = JSON.parse(raw) as { t?: string; c?: string; r?: string; u?: string; url?: string };
    return m.t && m.c && m.r && m.u && m.url ? { teamId: m.t, channelId: m.c, rootTs: m.r, userId: m.u, responseUrl: m.url } : null;
  } catch {
    return null;
  }
}

export async function customerChoices(deps: Pick<SendThreadDeps, 'ports'>, query: string) {
  const outcome = await deps.ports.lookupCustomers(query, 20);
  return customerOptions(outcome.matches);
}
