import { Layout } from './layout.js';
import type { ViewContext } from '../view-context.js';

export function LoginPage({ ctx, next, email, error }: { ctx: ViewContext; next: string; email?: string; error?: string | null }) {
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t.signIn}>
      <section class="panel login">
        <h1>{t.signInTitle}</h1>
        <p class="muted">{t.signInHint}</p>
        {error ? <p class="errors" role="alert">{error}</p> : null}
        <form method="post" action="/login">
          <input type="hidden" name="_csrf" value={ctx.csrf} />
          <input type="hidden" name="next" value={next} />
          <label for="email">{t.email}</label>
          <input id="email" name="email" type="email" autocomplete="username" required value={email ?? ''} autofocus />
          <label for="password">{t.password}</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
          <button type="submit">{t.signIn}</button>
        </form>
      </section>
    </Layout>
  );
}
