// Small pieces the pages share: a CSRF-protected POST form, a chart with its data table (the table
// is the chart for screen readers and without JavaScript), pills and a "next page" link.
import type { ComponentChildren } from 'preact';
import type { ViewContext } from '../view-context.js';

export function PostForm(props: { ctx: ViewContext; action: string; class?: string; children: ComponentChildren; confirm?: string; id?: string; hxTarget?: string }) {
  return (
    <form method="post" action={props.action} class={props.class} id={props.id} data-confirm={props.confirm}>
      <input type="hidden" name="_csrf" value={props.ctx.csrf} />
      {props.children}
    </form>
  );
}

export interface ChartSeries {
  label: string;
  values: number[];
}

export interface ChartSpec {
  type: 'bar' | 'line' | 'doughnut';
  labels: string[];
  series: ChartSeries[];
  stacked?: boolean;
}

/**
 * A chart drawn by Chart.js from the JSON next to it, over a table of the same numbers. Without
 * JavaScript the table is what shows.
 */
export function Chart(props: { ctx: ViewContext; id: string; caption: string; spec: ChartSpec; labelHeader: string }) {
  const { spec } = props;
  return (
    <figure class="chart" data-chart={props.id}>
      <figcaption>{props.caption}</figcaption>
      <script type="application/json" id={`${props.id}-data`} dangerouslySetInnerHTML={{ __html: safeJson(spec) }} />
      <div class="chart-data">
        <table>
          <thead>
            <tr>
              <th scope="col">{props.labelHeader}</th>
              {spec.series.map((s) => <th scope="col">{s.label}</th>)}
            </tr>
          </thead>
          <tbody>
            {spec.labels.map((label, i) => (
              <tr>
                <th scope="row">{label}</th>
                {spec.series.map((s) => <td class="num">{s.values[i] ?? 0}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

/** JSON safe inside a <script> element: no "</script>" or "<!--" can end it early. */
export function safeJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function Pill(props: { children: ComponentChildren; tone?: 'neutral' | 'good' | 'bad' | 'warn' | 'info' }) {
  return <span class={`pill ${props.tone ?? 'neutral'}`}>{props.children}</span>;
}

export function sentimentTone(s: number | null): 'neutral' | 'good' | 'bad' {
  if (s === null) return 'neutral';
  return s <= -0.3 ? 'bad' : s >= 0.3 ? 'good' : 'neutral';
}

export function kindTone(kind: string): 'neutral' | 'bad' | 'warn' | 'good' | 'info' {
  if (kind === 'complaint') return 'bad';
  if (kind === 'issue') return 'warn';
  if (kind === 'praise') return 'good';
  if (kind === 'question' || kind === 'feedback') return 'info';
  return 'neutral';
}

export function NextPage(props: { ctx: ViewContext; href: string | null; label?: string; target?: string }) {
  if (!props.href) return null;
  return (
    <p class="pager">
      <a href={props.href} class="button secondary">{props.label ?? props.ctx.t.next}</a>
    </p>
  );
}

export function Empty(props: { children: ComponentChildren }) {
  return <p class="empty">{props.children}</p>;
}

export function Errors(props: { ctx: ViewContext; errors: string[] }) {
  if (props.errors.length === 0) return null;
  return (
    <div class="errors" role="alert">
      <p>{props.ctx.t.invalidInput}</p>
      <ul>{props.errors.map((e) => <li>{e}</li>)}</ul>
    </div>
  );
}
