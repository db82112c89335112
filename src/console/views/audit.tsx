import type { AuditView } from '../../store/audit-repo.js';
import type { Page } from '../../store/pagination.js';
import { Empty, NextPage } from './components.js';
import { Layout } from './layout.js';
import { formatTime, href, type ViewContext } from '../view-context.js';

function target(e: AuditView) {
  if (!e.targetType || !e.targetId) return null;
  if (e.targetType === 'customer') return <a href={`/customers/${e.targetId}`}>{`customer ${e.targetId.slice(0, 8)}`}</a>;
  if (e.targetType === 'communication') return <a href={`/communications/${e.targetId}`}>{`communication ${e.targetId.slice(0, 8)}`}</a>;
  return `${e.targetType} ${e.targetId.slice(0, 12)}`;
}

export function AuditPage({ ctx, page, action }: { ctx: ViewContext; page: Page<AuditView>; action: string | undefined }) {
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t.auditTitle} section="audit">
      <h1>{t.auditTitle}</h1>
      <form method="get" action="/audit" class="filters panel">
        <div class="field"><label for="action">{t.action}</label><input id="action" name="action" value={action ?? ''} /></div>
        <div class="field actions"><button type="submit">{t.apply}</button></div>
      </form>
      {page.data.length === 0 ? <Empty>{t.nothingYet}</Empty> : (
        <table class="list">
          <thead><tr><th scope="col">{t.when}</th><th scope="col">{t.who}</th><th scope="col">{t.action}</th><th scope="col">{t.target}</th><th scope="col">{t.details}</th></tr></thead>
          <tbody>
            {page.data.map((e) => (
              <tr>
                <td class="nowrap">{formatTime(ctx, e.at)}</td>
                <td>{e.actor}</td>
                <td><code>{e.action}</code></td>
                <td>{target(e)}</td>
                <td class="small"><code>{Object.keys(e.details).length ? JSON.stringify(e.details) : ''}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <NextPage ctx={ctx} href={page.nextCursor ? href('/audit', { action, cursor: page.nextCursor }) : null} />
    </Layout>
  );
}
