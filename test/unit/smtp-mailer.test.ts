// Mail out over a real SMTP server, parsed back: subject, both parts, and our own-origin header.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpMailer } from '../../adapters/smtp/mailer.js';
import { isOwnOrigin, ownOriginHeader } from '../../src/mail/own-header.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';

describe('SMTP mailer', () => {
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp.close();
  });

  it('sends HTML and plain-text parts with our own-origin header, in Chinese too', async () => {
    const mailer = createSmtpMailer({ url: smtp.url, from: 'Rapport <rapport@example.com>', ignoreTls: true });
    const sent = await mailer.send({
      to: ['team@example.com'],
      subject: '每日摘要 · Daily digest',
      text: '新消息 3 条',
      html: '<p>新消息 <b>3</b> 条</p>',
      kind: 'digest',
    });
    mailer.close();
    expect(sent.accepted).toEqual(['team@example.com']);
    const got = smtp.received.at(-1)!;
    expect(got.envelopeTo).toEqual(['team@example.com']);
    expect(got.parsed.subject).toBe('每日摘要 · Daily digest');
    expect(got.parsed.text?.trim()).toBe('新消息 3 条');
    expect(got.parsed.html).toContain('<b>3</b>');
    const header = got.parsed.headers.get(ownOriginHeader.toLowerCase());
    expect(isOwnOrigin(String(header))).toBe(true);
    expect(String(header)).toContain('kind=digest');
  });

  it('turns a temporary refusal and a permanent rejection into distinct codes', async () => {
    const mailer = createSmtpMailer({ url: smtp.url, from: 'rapport@example.com', ignoreTls: true });
    smtp.failNext(1, 451);
    await expect(mailer.send({ to: ['a@example.com'], subject: 's', text: 't', html: '<p>t</p>', kind: 'digest' })).rejects.toMatchObject({ code: 'temporary' });
    smtp.failNext(1, 550);
    await expect(mailer.send({ to: ['a@example.com'], subject: 's', text: 't', html: '<p>t</p>', kind: 'digest' })).rejects.toMatchObject({ code: 'rejected' });
    mailer.close();
  });

  it('reports an unreachable server as temporary', async () => {
    const mailer = createSmtpMailer({ url: 'smtp://127.0.0.1:1', from: 'rapport@example.com', ignoreTls: true });
    await expect(mailer.send({ to: ['a@example.com'], subject: 's', text: 't', html: '<p>t</p>', kind: 'digest' })).rejects.toMatchObject({ code: 'temporary' });
    mailer.close();
  });
});
