// A customer's conversations grouped by thread, and one message in full.
import type { AttachmentMeta, Participant } from '../../store/schema/index.js';
import type { CommunicationDetail, ThreadMessage, ThreadView } from '../../store/customer-threads.js';
import { communicationKinds } from '../../store/communication-edits.js';
import { Pill, PostForm, kindTone, sentimentTone } from './components.js';
import { Layout } from './layout.js';
import { formatTime, href, type ViewContext } from '../view-context.js';

const who = (p: Participant | null) => (p ? p.name ?? p.email ?? p.phone ?? p.slackUser ?? '' : '');
const size = (n: number) => (n >= 1_048_576 ? `${(n / 1_048_576).toFixed(1)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} B`);

function Attachments({ ctx, items }: { ctx: ViewContext; items: AttachmentMeta[] }) {
  if (items.length === 0) return null;
  return (
    <p class="attachments">
      <span class="muted">{ctx.t.attachments}: </span>
      {items.map((a) => <span class="attachment">📎 {a.name ?? a.type} <span class="muted">({size(a.size)})</span></span>)}
    </p>
  );
}

function MessageMeta({ ctx, m }: { ctx: ViewContext; m: ThreadMessage }) {
  const t = ctx.t;
  return (
    <div class="meta">
      <Pill tone={m.channel === 'slack' ? 'info' : 'neutral'}>{m.channel}</Pill>
      <Pill>{t.direction[m.direction] ?? m.direction}</Pill>
      <Pill tone={kindTone(m.kind)}>{m.kind}</Pill>
      {m.sentiment !== null ? <Pill tone={sentimentTone(m.sentiment)}>{`${t.sentiment} ${m.sentiment.toFixed(2)}`}</Pill> : null}
      {m.match ? <span class="muted small">{t.match}: {m.match.rule} · {t.confidence} {Math.round(m.match.confidence * 100)}%</span> : null}
    </div>
  );
}

export function Message({ ctx, m }: { ctx: ViewContext; m: ThreadMessage }) {
  return (
    <article class={`message ${m.direction}`} id={`m-${m.id}`}>
      <header>
        <strong>{who(m.from) || ctx.t.none}</strong>
        <time datetime={m.occurredAt}>{formatTime(ctx, m.occurredAt)}</time>
      </header>
      <MessageMeta ctx={ctx} m={m} />
      <div class="body" id={`body-${m.id}`}>
        <p class="text">{m.text}</p>
      </div>
      <Attachments ctx={ctx} items={m.attachments} />
      <p class="small">
        <a href={`/communications/${m.id}`} hx-get={`/communications/${m.id}?part=body`} hx-target={`#body-${m.id}`} hx-swap="innerHTML">
          {m.hasMore ? ctx.t.fullText : ctx.t.details}
        </a>
      </p>
    </article>
  );
}

export function Thread({ ctx, th }: { ctx: ViewContext; th: ThreadView }) {
  return (
    <section class="thread" aria-label={th.subject ?? ctx.t.noSubject}>
      <h3>
        <span>{th.subject ?? ctx.t.noSubject}</span>
        <span class="muted small"> · {th.channel} · {ctx.t.messages(th.count)} · {formatTime(ctx, th.lastAt)}</span>
        {th.kind ? <Pill tone={kindTone(th.kind)}>{th.kind}</Pill> : null}
      </h3>
      {th.count > th.messages.length ? <p class="muted small">… {th.count - th.messages.length}</p> : null}
      {th.messages.map((m) => <Message ctx={ctx} m={m} />)}
    </section>
  );
}

/** One page of threads, and the link to the next (htmx swaps the link for the next page). */
export function ThreadPage({ ctx, customerId, threads, nextCursor }: { ctx: ViewContext; customerId: string; threads: ThreadView[]; nextCursor: string | null }) {
  return (
    <>
      {threads.map((th) => <Thread ctx={ctx} th={th} />)}
      {nextCursor ? (
        <p class="pager" id="more-threads">
          <a class="button secondary" href={`${href(`/customers/${customerId}`, { cursor: nextCursor })}#timeline`}
            hx-get={href(`/customers/${customerId}`, { cursor: nextCursor, part: 'threads' })} hx-target="#more-threads" hx-swap="outerHTML">
            {ctx.t.olderThreads}
          </a>
        </p>
      ) : null}
    </>
  );
}

export function MessageBody({ ctx, c }: { ctx: ViewContext; c: CommunicationDetail }) {
  return (
    <>
      <p class="text">{c.cleanText}</p>
      {c.fullText && c.fullText !== c.cleanText ? (
        <details open>
          <summary>{ctx.t.fullText}</summary>
          <pre class="full">{c.fullText}</pre>
        </details>
      ) : null}
      <p class="small"><a href={`/communications/${c.id}`}>{ctx.t.details} →</a></p>
    </>
  );
}

export function CommunicationPage({ ctx, c, customerName, canEdit }: { ctx: ViewContext; c: CommunicationDetail; customerName: string | null; canEdit: boolean }) {
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={c.subject ?? t.noSubject} section="customers">
      <p class="crumbs">{c.customerId ? <a href={`/customers/${c.customerId}#m-${c.id}`}>← {customerName ?? t.customer}</a> : <a href="/review">← {t.nav.review}</a>}</p>
      <h1>{c.subject ?? t.noSubject}</h1>
      <section class="panel">
        <MessageMeta ctx={ctx} m={c} />
        <dl class="facts">
          <dt>{t.date}</dt><dd>{formatTime(ctx, c.occurredAt)}</dd>
          {c.participants.map((p) => (<><dt>{p.role}</dt><dd>{[p.name, p.email ?? p.phone ?? p.slackUser].filter(Boolean).join(' · ')}</dd></>))}
          {c.keywords.length ? (<><dt>{t.topKeywords}</dt><dd>{c.keywords.join(', ')}</dd></>) : null}
        </dl>
        <h2>{t.fullText}</h2>
        <p class="text">{c.cleanText}</p>
        {c.fullText && c.fullText !== c.cleanText ? <pre class="full">{c.fullText}</pre> : null}
        <Attachments ctx={ctx} items={c.attachments} />
      </section>
      {canEdit ? (
        <section class="panel">
          <h2>{t.correctKind}</h2>
          <PostForm ctx={ctx} action={`/communications/${c.id}/kind`} class="row">
            <label for="kind">{t.kind}</label>
            <select id="kind" name="kind">
              {communicationKinds.map((k) => <option value={k} selected={k === c.kind}>{k}</option>)}
            </select>
            <button type="submit">{t.save}</button>
          </PostForm>
        </section>
      ) : null}
    </Layout>
  );
}
