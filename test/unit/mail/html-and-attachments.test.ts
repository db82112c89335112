import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../../src/mail/html-text.js';
import { parseEmail } from '../../../src/mail/parse-email.js';
import { buildEml } from './build-eml.js';

const newsletterHtml = `<!DOCTYPE html><html><head><title>Order</title>
<style type="text/css">body { font-family: Arial; color: #333 } .btn { background: #f60 }</style>
<script>window.track && track('open')</script></head>
<body><table width="100%"><tr><td>
<h1>订单已发货</h1>
<p>尊敬的客户，您好！您的订单 <b>#20261120</b> 已于今日发出。</p>
<p>查看物流：<a href="https://track.example.cn/o/20261120">点击这里</a> 或访问 https://help.example.cn</p>
<p>Questions? Mail <a href="mailto:support@rapport-demo.cn">support@rapport-demo.cn</a>.</p>
<img src="https://example.cn/pixel.gif" width="1" height="1">
</td></tr></table></body></html>`;

describe('HTML-only mail', () => {
  it('becomes readable text: no CSS, no script, no tags, links kept as text', async () => {
    const raw = buildEml({ From: 'shop@example.cn', Subject: 'html', 'Message-ID': '<html-only@example.cn>' }, { type: 'text/html', charset: 'gbk', body: newsletterHtml, encoding: 'quoted-printable' });
    const msg = await parseEmail(raw);
    expect(msg.text).toContain('订单已发货');
    expect(msg.text).toContain('您的订单 #20261120 已于今日发出。');
    expect(msg.text).toContain('点击这里 [https://track.example.cn/o/20261120]');
    expect(msg.text).toContain('https://help.example.cn');
    expect(msg.text).toContain('Mail support@rapport-demo.cn.');
    expect(msg.text).not.toMatch(/font-family|track\(|<[a-z]|pixel\.gif|\[mailto:/i);
    expect(msg.html!.replace(/\r\n/g, '\n')).toBe(newsletterHtml);
  });

  it('turns blockquotes into "> " lines so the quoted part can be recognised', () => {
    expect(htmlToText('<p>Yes.</p><blockquote>Old <b>text</b></blockquote>')).toBe('Yes.\n\n> Old text');
  });
});

describe('attachments', () => {
  it('are kept as metadata (name, type, size, sha256), never as content', async () => {
    const pdf = randomBytes(300_000);
    const png = randomBytes(1234);
    const raw = buildEml(
      { From: 'a@example.cn', Subject: 'files', 'Message-ID': '<files@example.cn>' },
      [
        { body: '附件是合同和截图。' },
        { type: 'application/pdf', body: pdf, headers: { 'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent('采购合同.pdf')}` } },
        { type: 'image/png', body: png, headers: { 'Content-Disposition': 'attachment; filename="=?gbk?B?vdjNvC5wbmc=?="' } },
        { type: 'application/octet-stream', body: Buffer.from('no name') },
      ],
      'mixed',
    );
    const msg = await parseEmail(raw);
    expect(msg.text).toBe('附件是合同和截图。');
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(msg.attachments).toEqual([
      { name: '采购合同.pdf', type: 'application/pdf', size: pdf.length, sha256: sha(pdf) },
      { name: '截图.png', type: 'image/png', size: png.length, sha256: sha(png) },
      { name: null, type: 'application/octet-stream', size: 7, sha256: sha(Buffer.from('no name')) },
    ]);
    expect(JSON.stringify(msg)).not.toContain(pdf.subarray(0, 30).toString('base64'));
  });
});
