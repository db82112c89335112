// Settings: API tokens, console users, and the inbox.
import type { ConsoleUser } from '../../store/console-users-repo.js';
import type { TokenView } from '../../store/tokens-repo.js';
import { Empty, Pill, PostForm } from './components.js';
import { SettingsFrame, ShownOnce } from './settings-frame.js';
import { formatTime, type ViewContext } from '../view-context.js';

export function TokensPage({ ctx, tokens, shown }: { ctx: ViewContext; tokens: TokenView[]; shown: { name: string; token: string } | null }) {
  const t = ctx.t;
  return (
    <SettingsFrame ctx={ctx} page="tokens">
      {shown ? <ShownOnce label={`${shown.name}: ${t.tokenOnce}`} value={shown.token} /> : null}
      {tokens.length === 0 ? <Empty>{t.noTokens}</Empty> : (
        <table class="list">
          <thead><tr><th scope="col">{t.name}</th><th scope="col">{t.scope}</th><th scope="col">{t.prefix}</th><th scope="col">{t.createdAt}</th><th scope="col">{t.lastUsed}</th><th scope="col">{t.revoked}</th><th scope="col"></th></tr></thead>
          <tbody>
            {tokens.map((k) => (
              <tr class={k.revokedAt ? 'dim' : undefined}>
                <td>{k.name}</td><td><Pill>{k.scope}</Pill></td><td><code>{k.prefix}…</code></td><td>{formatTime(ctx, k.createdAt)}</td><td>{formatTime(ctx, k.lastUsedAt)}</td><td>{formatTime(ctx, k.revokedAt)}</td>
                <td>{k.revokedAt ? null : <PostForm ctx={ctx} action={`/settings/tokens/${k.id}/revoke`} class="inline"><button type="submit" class="danger">{t.revoke}</button></PostForm>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section class="panel">
        <h3>{t.createToken}</h3>
        <PostForm ctx={ctx} action="/settings/tokens" class="row">
          <label for="tk-name">{t.name}</label><input id="tk-name" name="name" required maxLength={100} />
          <label for="tk-scope">{t.scope}</label>
          <select id="tk-scope" name="scope"><option value="read">read</option><option value="write">write</option><option value="admin">admin</option></select>
          <button type="submit">{t.createToken}</button>
        </PostForm>
      </section>
    </SettingsFrame>
  );
}

export function UsersPage({ ctx, users, shown, revoked }: { ctx: ViewContext; users: ConsoleUser[]; shown: { email: string; password: string } | null; revoked: number | null }) {
  const t = ctx.t;
  return (
    <SettingsFrame ctx={ctx} page="users">
      {shown ? <ShownOnce label={t.newPassword(shown.email)} value={shown.password} /> : null}
      {revoked !== null ? <p class="notice" role="status">{t.sessionsRevoked(revoked)}</p> : null}
      <table class="list">
        <thead><tr><th scope="col">{t.email}</th><th scope="col">{t.roleLabel}</th><th scope="col">{t.lastSignIn}</th><th scope="col" class="num">{t.sessions}</th><th scope="col">{t.createdAt}</th><th scope="col"></th></tr></thead>
        <tbody>
          {users.map((u) => (
            <tr>
              <td>{u.email}</td><td><Pill tone={u.role === 'admin' ? 'warn' : 'neutral'}>{t.role[u.role] ?? u.role}</Pill></td>
              <td>{formatTime(ctx, u.lastSignInAt)}</td><td class="num">{u.activeSessions}</td><td>{formatTime(ctx, u.createdAt, 'date')}</td>
              <td class="actions">
                <PostForm ctx={ctx} action={`/settings/users/${u.id}/sessions`} class="inline"><button type="submit" class="secondary">{t.signOutEverywhere}</button></PostForm>
                <PostForm ctx={ctx} action={`/settings/users/${u.id}/reset`} class="inline"><button type="submit" class="secondary">{t.resetPassword}</button></PostForm>
                {u.id === ctx.user?.userId ? null : <PostForm ctx={ctx} action={`/settings/users/${u.id}/remove`} class="inline"><button type="submit" class="danger">{t.remove}</button></PostForm>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section class="panel">
        <h3>{t.addUser}</h3>
        <PostForm ctx={ctx} action="/settings/users" class="row">
          <label for="u-email">{t.email}</label><input id="u-email" name="email" type="email" required maxLength={320} />
          <label for="u-role">{t.roleLabel}</label>
          <select id="u-role" name="role"><option value="viewer">{t.role.viewer}</option><option value="agent">{t.role.agent}</option><option value="admin">{t.role.admin}</option></select>
          <button type="submit">{t.addUser}</button>
        </PostForm>
      </section>
    </SettingsFrame>
  );
}

export function InboxPage({ ctx }: { ctx: ViewContext }) {
  return (
    <SettingsFrame ctx={ctx} page="inbox">
      <Empty>{ctx.t.inboxPending}</Empty>
    </SettingsFrame>
  );
}
