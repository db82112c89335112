import type { CustomerView } from '../../store/customers-repo.js';
import type { Page } from '../../store/pagination.js';
import type { ReviewItemView } from '../../store/review-repo.js';
import { Empty, NextPage, Pill, PostForm } from './components.js';
import { Layout } from './layout.js';
import { formatTime, href, type ViewContext } from '../view-context.js';

function sender(item: ReviewItemView): string {
  const c = item.contact;
  return c ? [c.name, c.email ?? c.phone ?? c.slackUser].filter(Boolean).join(' · ') : '';
}

export function ReviewPage({ ctx, page, suggestions, canAct }: { ctx: ViewContext; page: Page<ReviewItemView>; suggestions: CustomerView[][]; canAct: boolean }) {
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t.reviewTitle} section="review">
      <h1>{t.reviewTitle}</h1>
      <p class="muted">{t.reviewHint}</p>
      {page.data.length === 0 ? <Empty>{t.queueEmpty}</Empty> : (
        <ol class="review">
          {page.data.map((item, i) => (
            <li class="panel review-item" id={`r-${item.communicationId}`}>
              <div class="item-head">
                <strong>{sender(item) || t.none}</strong>
                {item.company ? <span class="muted"> · {item.company.name}</span> : null}
                <Pill tone="warn">{t.reason[item.reason] ?? item.reason}</Pill>
                <Pill>{item.communication.channel}</Pill>
                <span class="muted right small">{formatTime(ctx, item.communication.occurredAt)}</span>
              </div>
              <p><a href={`/communications/${item.communicationId}`}>{item.communication.subject ?? t.noSubject}</a></p>
              <p class="snippet">{item.communication.text}</p>
              {canAct ? (
                <div class="review-actions">
                  <PostForm ctx={ctx} action={`/review/${item.communicationId}/link`} class="link-form">
                    <fieldset>
                      <legend>{t.linkTo}</legend>
                      {suggestions[i]!.map((c, k) => (
                        <label class="choice">
                          <input type="radio" name="customer" value={c.id} checked={k === 0} />
                          {c.name}{c.company ? ` · ${c.company.name}` : ''}{c.emails[0] ? ` · ${c.emails[0]}` : ''}
                        </label>
                      ))}
                      <label for={`key-${item.communicationId}`} class="small muted">{t.orType}</label>
                      <input id={`key-${item.communicationId}`} name="customer_key" maxLength={320} />
                    </fieldset>
                    <button type="submit">{t.link}</button>
                  </PostForm>
                  <div class="row">
                    <PostForm ctx={ctx} action={`/review/${item.communicationId}/create`}>
                      <button type="submit" class="secondary">{t.createFromSender}</button>
                    </PostForm>
                    <PostForm ctx={ctx} action={`/review/${item.communicationId}/dismiss`}>
                      <button type="submit" class="secondary">{t.dismiss}</button>
                    </PostForm>
                  </div>
                </div>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      <NextPage ctx={ctx} href={page.nextCursor ? href('/review', { cursor: page.nextCursor }) : null} />
    </Layout>
  );
}
