// The page frame: header with navigation, the signed-in user, the language switch and sign-out;
// a skip link for keyboard users; the notice of the last action. Scripts are deferred and only
// enhance: every link and form works without them.
import type { ComponentChildren } from 'preact';
import { roleAllows } from '../../store/console-users-repo.js';
import { href, type ViewContext } from '../view-context.js';

export interface LayoutProps {
  ctx: ViewContext;
  title: string;
  /** Which nav entry is current. */
  section?: 'dashboard' | 'customers' | 'search' | 'review' | 'settings' | 'audit';
  charts?: boolean;
  children: ComponentChildren;
}

export function Layout({ ctx, title, section, charts, children }: LayoutProps) {
  const t = ctx.t;
  const nav: [NonNullable<LayoutProps['section']>, string, string][] = [
    ['dashboard', '/', t.nav.dashboard],
    ['customers', '/customers', t.nav.customers],
    ['search', '/search', t.nav.search],
    ['review', '/review', t.nav.review],
  ];
  if (ctx.user && roleAllows(ctx.user.role, 'admin')) nav.push(['settings', '/settings', t.nav.settings], ['audit', '/audit', t.nav.audit]);
  const other = ctx.lang === 'zh' ? 'en' : 'zh';
  return (
    <html lang={ctx.lang === 'zh' ? 'zh-CN' : 'en'}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false,"historyCacheSize":0}' />
        <title>{`${title} · ${t.appName}`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/assets/console.css" />
        <script src="/assets/htmx.min.js" defer></script>
        {charts ? <script src="/assets/chart.umd.min.js" defer></script> : null}
        <script src="/assets/console.js" defer></script>
      </head>
      <body hx-headers={JSON.stringify({ 'x-csrf-token': ctx.csrf })}>
        <a class="skip" href="#main">{t.skipToContent}</a>
        <header class="top">
          <a class="brand" href="/">{t.appName}</a>
          {ctx.user ? (
            <nav aria-label="main">
              <ul>
                {nav.map(([key, path, label]) => (
                  <li>
                    <a href={path} aria-current={section === key ? 'page' : undefined}>{label}</a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
          <div class="who">
            <a class="lang" href={href(`/lang/${other}`, { next: ctx.url })} lang={other === 'zh' ? 'zh-CN' : 'en'} hreflang={other === 'zh' ? 'zh-CN' : 'en'}>
              {t.otherLanguage}
            </a>
            {ctx.user ? (
              <>
                <span class="user">
                  {ctx.user.email} <span class="role">{t.role[ctx.user.role] ?? ctx.user.role}</span>
                </span>
                <form method="post" action="/logout" class="inline">
                  <input type="hidden" name="_csrf" value={ctx.csrf} />
                  <button type="submit" class="link">{t.signOut}</button>
                </form>
              </>
            ) : null}
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          {ctx.notice ? <p class="notice" role="status">{ctx.notice}</p> : null}
          {children}
        </main>
      </body>
    </html>
  );
}
