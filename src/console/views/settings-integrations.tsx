// Settings: mailboxes, webhook sources, Slack channel links, digest subscriptions.
import type { DigestSubscription } from '../../store/digest-repo.js';
import type { WebhookSourceView } from '../../store/webhook-sources-repo.js';
import { Empty, Pill, PostForm } from './components.js';
import { SettingsFrame, ShownOnce } from './settings-frame.js';
import { formatTime, type ViewContext } from '../view-context.js';

export interface MailboxStatus {
  name: string;
  host: string;
  user: string;
  enabled: boolean;
  source: string;
  folders: { path: string; lastSyncAt: string | null; lastErrorCode: string | null; lastErrorAt: string | null; messagesSeen: number }[];
  failures: { folder: string; uid: number; code: string; reason: string; at: string }[];
}

export function MailboxesPage({ ctx, mailboxes }: { ctx: ViewContext; mailboxes: MailboxStatus[] }) {
  const t = ctx.t;
  return (
    <SettingsFrame ctx={ctx} page="mailboxes">
      {mailboxes.length === 0 ? <Empty>{t.noMailboxes}</Empty> : mailboxes.map((m) => (
        <section class="panel">
          <h3>{m.name} <span class="muted small">{m.user} @ {m.host}</span> {m.enabled ? <Pill tone="good">{t.enabled}</Pill> : <Pill>{t.no}</Pill>} <Pill>{m.source}</Pill></h3>
          <table class="list compact">
            <thead><tr><th scope="col">{t.folders}</th><th scope="col">{t.lastSync}</th><th scope="col">{t.lastError}</th><th scope="col" class="num">{t.messages(0).replace(/\d+\s*/, '')}</th></tr></thead>
            <tbody>
              {m.folders.map((f) => (
                <tr>
                  <td>{f.path}</td>
                  <td>{formatTime(ctx, f.lastSyncAt)}</td>
                  <td>{f.lastErrorCode ? <Pill tone="bad">{`${f.lastErrorCode} · ${formatTime(ctx, f.lastErrorAt)}`}</Pill> : t.none}</td>
                  <td class="num">{f.messagesSeen}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h4>{t.failures} ({m.failures.length})</h4>
          {m.failures.length === 0 ? <Empty>{t.nothingYet}</Empty> : (
            <table class="list compact">
              <thead><tr><th scope="col">{t.folders}</th><th scope="col">UID</th><th scope="col">{t.code}</th><th scope="col">{t.details}</th><th scope="col">{t.when}</th></tr></thead>
              <tbody>{m.failures.map((f) => <tr><td>{f.folder}</td><td>{f.uid}</td><td><code>{f.code}</code></td><td>{f.reason}</td><td>{formatTime(ctx, f.at)}</td></tr>)}</tbody>
            </table>
          )}
        </section>
      ))}
    </SettingsFrame>
  );
}

export function WebhooksPage({ ctx, sources, presets, shown, baseUrl }: { ctx: ViewContext; sources: WebhookSourceView[]; presets: readonly string[]; shown: { name: string; secret: string } | null; baseUrl: string }) {
  const t = ctx.t;
  return (
    <SettingsFrame ctx={ctx} page="webhooks">
      {shown ? <ShownOnce label={`${shown.name}: ${t.secretOnce}`} value={shown.secret} /> : null}
      {sources.length === 0 ? <Empty>{t.noSources}</Empty> : (
        <table class="list">
          <thead><tr><th scope="col">{t.name}</th><th scope="col">{t.preset}</th><th scope="col">{t.origin}</th><th scope="col">{t.secretPrefix}</th><th scope="col">{t.url}</th><th scope="col">{t.rotated}</th><th scope="col"></th></tr></thead>
          <tbody>
            {sources.map((s) => (
              <tr>
                <td>{s.name}</td><td>{s.preset}</td><td>{s.origin}</td><td><code>{s.secretPrefix}</code></td>
                <td><code class="small">{`${baseUrl}/webhooks/${s.name}`}</code></td>
                <td>{formatTime(ctx, s.rotatedAt ?? s.createdAt)}</td>
                <td class="actions">
                  {s.origin === 'database' ? (
                    <>
                      <PostForm ctx={ctx} action={`/settings/webhooks/${s.name}/rotate`} class="inline">
                        <label class="small" for={`grace-${s.name}`}>{t.grace}</label>
                        <input id={`grace-${s.name}`} name="grace" type="number" min="0" max="720" value="24" class="tiny" />
                        <button type="submit" class="secondary">{t.rotate}</button>
                      </PostForm>
                      <PostForm ctx={ctx} action={`/settings/webhooks/${s.name}/remove`} class="inline"><button type="submit" class="danger">{t.remove}</button></PostForm>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section class="panel">
        <h3>{t.addSource}</h3>
        <PostForm ctx={ctx} action="/settings/webhooks" class="row">
          <label for="wh-name">{t.name}</label>
          <input id="wh-name" name="name" required pattern="[a-z0-9][a-z0-9_-]{0,62}" />
          <label for="wh-preset">{t.preset}</label>
          <select id="wh-preset" name="preset">{presets.map((p) => <option value={p}>{p}</option>)}</select>
          <button type="submit">{t.addSource}</button>
        </PostForm>
      </section>
    </SettingsFrame>
  );
}

export interface SlackLinkView {
  teamId: string;
  channelId: string;
  customerId: string | null;
  label: string;
  shared: boolean;
  linkedBy: string;
  createdAt: string;
}

export function SlackPage({ ctx, links }: { ctx: ViewContext; links: SlackLinkView[] }) {
  const t = ctx.t;
  return (
    <SettingsFrame ctx={ctx} page="slack">
      {links.length === 0 ? <Empty>{t.noLinks}</Empty> : (
        <table class="list">
          <thead><tr><th scope="col">{t.slackChannel}</th><th scope="col">{t.workspace}</th><th scope="col">{t.linkedTo}</th><th scope="col">{t.shared}</th><th scope="col">{t.linkedBy}</th><th scope="col">{t.added}</th><th scope="col"></th></tr></thead>
          <tbody>
            {links.map((l) => (
              <tr>
                <td><code>{l.channelId}</code></td><td><code>{l.teamId}</code></td>
                <td>{l.customerId ? <a href={`/customers/${l.customerId}`}>{l.label}</a> : l.label}</td>
                <td>{l.shared ? t.yes : t.no}</td><td>{l.linkedBy}</td><td>{formatTime(ctx, l.createdAt)}</td>
                <td><PostForm ctx={ctx} action={`/settings/slack/${l.teamId}/${l.channelId}/unlink`} class="inline"><button type="submit" class="danger">{t.unlink}</button></PostForm></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </SettingsFrame>
  );
}

export function DigestsPage({ ctx, subscriptions, defaultTz }: { ctx: ViewContext; subscriptions: DigestSubscription[]; defaultTz: string }) {
  const t = ctx.t;
  return (
    <SettingsFrame ctx={ctx} page="digests">
      {subscriptions.length === 0 ? <Empty>{t.noSubscriptions}</Empty> : (
        <table class="list">
          <thead><tr><th scope="col">{t.targetKind}</th><th scope="col">{t.owner}</th><th scope="col">{t.segment}</th><th scope="col">{t.at}</th><th scope="col">{t.timeZone}</th><th scope="col"></th></tr></thead>
          <tbody>
            {subscriptions.map((s) => (
              <tr>
                <td>{s.targetKind}: {s.target}</td><td>{s.owner ?? t.all}</td><td>{s.segment ?? t.all}</td><td>{s.at}</td><td>{s.timeZone}</td>
                <td><PostForm ctx={ctx} action={`/settings/digests/${s.id}/remove`} class="inline"><button type="submit" class="danger">{t.unsubscribe}</button></PostForm></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section class="panel">
        <h3>{t.subscribe}</h3>
        <PostForm ctx={ctx} action="/settings/digests" class="row wrap">
          <label for="d-kind">{t.targetKind}</label>
          <select id="d-kind" name="kind"><option value="email">email</option><option value="slack">slack</option></select>
          <label for="d-target">{t.email} / #channel</label><input id="d-target" name="target" required maxLength={320} />
          <label for="d-owner">{t.owner}</label><input id="d-owner" name="owner" maxLength={320} />
          <label for="d-segment">{t.segment}</label><input id="d-segment" name="segment" maxLength={200} />
          <label for="d-at">{t.at}</label><input id="d-at" name="at" value="09:00" pattern="\d{1,2}:\d{2}" class="tiny" />
          <label for="d-tz">{t.timeZone}</label><input id="d-tz" name="tz" value={defaultTz} />
          <button type="submit">{t.subscribe}</button>
        </PostForm>
      </section>
      <section class="panel">
        <h3>{t.preview}</h3>
        <iframe class="digest-preview" src="/settings/digests/preview" title={t.preview} sandbox=""></iframe>
      </section>
    </SettingsFrame>
  );
}
