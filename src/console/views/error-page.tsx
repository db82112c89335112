import { Layout } from './layout.js';
import type { ViewContext } from '../view-context.js';

export function ErrorPage({ ctx, status, kind, message }: { ctx: ViewContext; status: number; kind?: 'csrf' | undefined; message?: string | undefined }) {
  const t = ctx.t;
  const [title, text] =
    kind === 'csrf' ? [t.forbiddenTitle, t.csrfRefused]
    : status === 401 ? [t.signIn, t.signInHint]
    : status === 403 ? [t.forbiddenTitle, t.forbidden]
    : status === 404 ? [t.notFoundTitle, t.notFound]
    : status === 400 || status === 409 ? [t.errorTitle, t.invalidInput]
    : [t.errorTitle, t.errorText];
  return (
    <Layout ctx={ctx} title={title}>
      <section class="panel narrow">
        <h1>{title}</h1>
        <p>{text}</p>
        {message ? <p class="error-detail">{message}</p> : null}
        <p>
          {status === 401 ? <a class="button" href="/login">{t.signIn}</a> : <a href="/">{t.back}</a>}
        </p>
      </section>
    </Layout>
  );
}
