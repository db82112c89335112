// The settings pages share a sub-navigation.
import type { ComponentChildren } from 'preact';
import { Layout } from './layout.js';
import type { ViewContext } from '../view-context.js';

export const settingsPages = ['mailboxes', 'webhooks', 'slack', 'digests', 'tokens', 'users', 'inbox'] as const;
export type SettingsPage = (typeof settingsPages)[number];

export function SettingsFrame({ ctx, page, children }: { ctx: ViewContext; page: SettingsPage; children: ComponentChildren }) {
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={`${t.settingsNav[page]} · ${t.settingsTitle}`} section="settings">
      <h1>{t.settingsTitle}</h1>
      <nav class="subnav" aria-label={t.settingsTitle}>
        <ul>
          {settingsPages.map((p) => <li><a href={`/settings/${p}`} aria-current={p === page ? 'page' : undefined}>{t.settingsNav[p]}</a></li>)}
        </ul>
      </nav>
      <h2>{t.settingsNav[page]}</h2>
      {children}
    </Layout>
  );
}

/** A secret or password shown once after it was made. */
export function ShownOnce({ label, value }: { label: string; value: string }) {
  return (
    <div class="secret" role="status">
      <p>{label}</p>
      <code class="copy">{value}</code>
    </div>
  );
}
