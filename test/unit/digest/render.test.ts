import { describe, expect, it } from 'vitest';
import type { DigestData } from '../../../src/digest/digest.js';
import { renderDigestEmail } from '../../../src/digest/render-email.js';
import { renderDigestSlack, SLACK_MAX_BLOCKS } from '../../../src/digest/render-slack.js';
import { renderDigestText } from '../../../src/digest/render-text.js';

const base: DigestData = {
  title: 'Rapport daily digest · 每日摘要 — 2026-11-25',
  day: '2026-11-25',
  timeZone: 'Asia/Shanghai',
  window: { from: '2026-11-24T01:00:00.000Z', to: '2026-11-25T01:00:00.000Z' },
  late: false,
  filters: { owner: null, segment: null },
  newByChannel: [],
  newFeedback: [],
  negativeHighValue: [],
  waiting: [],
  waitingHours: 24,
  topKeywords: [],
  risingKeywords: [],
  changes: [],
};

const customer = (i: number) => ({ id: `c${i}`, name: `客户 ${i} <${'x'.repeat(40)}>`, company: `Company & Co ${i}` });

describe('digest rendering', () => {
  it('splits a long digest into Slack messages of at most 50 blocks and 3,000-character sections, losing no line', () => {
    const big: DigestData = {
      ...base,
      late: true,
      waiting: Array.from({ length: 1500 }, (_, i) => ({ customer: customer(i), lastInboundAt: base.window.from, hoursWaiting: 30 + i, subject: `Subject ${i}` })),
      changes: Array.from({ length: 600 }, (_, i) => ({ customer: customer(i), what: 'segment' as const, from: 'typical', to: 'at risk' })),
    };
    const messages = renderDigestSlack(big);
    expect(messages.length).toBeGreaterThan(1);
    const blocks = messages.flatMap((m) => m.blocks as { type: string; text?: { text: string } }[]);
    for (const m of messages) expect(m.blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS);
    for (const b of blocks) if (b.type === 'section') expect(b.text!.text.length).toBeLessThanOrEqual(3000);
    const text = blocks.map((b) => b.text?.text ?? JSON.stringify(b)).join('\n');
    expect(text).toContain('Sent late');
    for (const i of [0, 777, 1499]) expect(text).toContain(`*${30 + i} h*`);
    // Slack mrkdwn: & < > are escaped, so a customer name cannot inject a link.
    expect(text).toContain('&lt;xxxx');
    expect(text).not.toContain('<xxxx');
    expect(messages[1]!.text).toBe(`${base.title} (2)`);
  });

  it('says there is nothing new rather than sending an empty digest', () => {
    expect(renderDigestText(base)).toContain('Nothing new today');
    const [only] = renderDigestSlack(base);
    expect(JSON.stringify(only!.blocks)).toContain('Nothing new today');
    expect(renderDigestEmail(base).html).toContain('Nothing new today');
  });

  it("states the email's window in the subscriber's time zone", () => {
    expect(renderDigestEmail(base).html).toContain('2026-11-24 09:00 — 2026-11-25 09:00 (Asia/Shanghai)');
  });

  it('escapes HTML in the email and marks a late digest in its subject', () => {
    const d: DigestData = { ...base, late: true, newFeedback: [{ id: '1', customer: customer(1), channel: 'email', kind: 'complaint', subject: '<script>x</script>', snippet: 'a & b', sentiment: -0.9, occurredAt: base.window.to }] };
    const email = renderDigestEmail(d);
    expect(email.subject.startsWith('[late] ')).toBe(true);
    expect(email.html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(email.html).not.toContain('<script>');
    expect(email.text).toContain('a & b');
  });
});
