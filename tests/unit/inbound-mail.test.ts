import { describe, expect, it } from 'vitest';
import type { CaseContext } from '../../shared/domain/case';
import { caseSubjectOf, htmlToText, inboundMailLimits, mailAttachmentId, parseInboundMail, sortAttachments, verdictRefusal } from '../../shared/domain/inbound-mail';
import { decideMailCase, mailCaseChange, mailReplyChange } from '../../shared/domain/mail-reply';
import { defaultSlaPolicy } from '../../shared/domain/sla';
import { looksLikeId } from '../../shared/ids';

const crlf = (lines: string[]) => lines.join('\r\n');

describe('parseInboundMail', () => {
  it('decodes an RFC 2047 zh-TW subject (Big5 and UTF-8 words) and a quoted-printable UTF-8 body', async () => {
    const raw = crlf([
      'From: =?UTF-8?B?5p6X576O546y?= <Mei-Ling.Lin@Example.COM>',
      'To: ten_01jf8z0a1b2c3d4e5f6g7h8j9k@inbound.example.com',
      'Subject: =?UTF-8?B?5biz5Zau5ZWP6aGM?= =?big5?B?pECmuA==?=',
      'Message-ID: <abc@example.com>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '=E6=88=91=E8=A2=AB=E9=87=8D=E8=A4=87=E6=89=A3=E6=AC=BE=E4=BA=86=E3=80=82 Caf=C3=A9 soft=',
      'break',
      '',
    ]);
    const mail = await parseInboundMail(raw);
    expect(mail.subject).toBe('帳單問題一次');
    expect(mail.from).toEqual({ address: 'mei-ling.lin@example.com', name: '林美玲' });
    expect(mail.recipients).toEqual(['ten_01jf8z0a1b2c3d4e5f6g7h8j9k@inbound.example.com']);
    expect(mail.text).toBe('我被重複扣款了。 Café softbreak');
    expect(mail.automatic).toBeUndefined();
  });

  it('reads a body in a legacy charset (Big5) as text', async () => {
    const big5Body = Buffer.from([0xa7, 0xda, 0xad, 0x6e, 0xb0, 0x68, 0xb4, 0xda]); // 我要退款
    const head = Buffer.from(crlf(['From: a@example.com', 'To: b@example.com', 'Subject: refund', 'Content-Type: text/plain; charset=big5', 'Content-Transfer-Encoding: 8bit', '', '']));
    const mail = await parseInboundMail(new Uint8Array(Buffer.concat([head, big5Body])));
    expect(mail.text).toBe('我要退款');
  });

  it('reduces an HTML-only message to text', async () => {
    const raw = crlf([
      'From: a@example.com',
      'To: b@example.com',
      'Subject: html',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<html><head><style>p{color:red}</style></head><body><p>Hello&nbsp;there</p><div>Line&#x20;two &amp; more<br>three</div><script>alert(1)</script></body></html>',
    ]);
    expect((await parseInboundMail(raw)).text).toBe('Hello there\nLine two & more\nthree');
  });

  it('marks auto-replies and bounces as automatic, and not a mail that says Auto-Submitted: no', async () => {
    const message = (headers: string[]) => crlf(['From: a@example.com', 'To: b@example.com', 'Subject: x', ...headers, '', 'body']);
    expect((await parseInboundMail(message(['Auto-Submitted: auto-replied']))).automatic).toBe('Auto-Submitted: auto-replied');
    expect((await parseInboundMail(message(['Auto-Submitted: no']))).automatic).toBeUndefined();
    expect((await parseInboundMail(message(['Content-Type: multipart/report; report-type=delivery-status; boundary=x']))).automatic).toBe('a delivery report');
    expect((await parseInboundMail(message(['X-Autoreply: yes']))).automatic).toBe('X-Autoreply');
    expect((await parseInboundMail(crlf(['From: MAILER-DAEMON@mx.example.com', 'To: b@example.com', 'Subject: failure', '', 'x']))).automatic).toBe('a mailer daemon');
  });

  it('keeps attachments with their decoded bytes, names and types', async () => {
    const raw = crlf([
      'From: a@example.com',
      'To: b@example.com',
      'Subject: with file',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'see attached',
      '--b1',
      'Content-Type: application/pdf',
      'Content-Disposition: attachment; filename="=?UTF-8?B?5pS25pOaLnBkZg==?="',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('%PDF-1.4 hello').toString('base64'),
      '--b1--',
      '',
    ]);
    const mail = await parseInboundMail(raw);
    expect(mail.text).toBe('see attached');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({ index: 0, name: '收據.pdf', type: 'application/pdf', size: 14 });
    expect(Buffer.from(mail.attachments[0]!.content).toString()).toBe('%PDF-1.4 hello');
  });

  it('cuts a long text at the limit with a note', async () => {
    const raw = crlf(['From: a@example.com', 'To: b@example.com', 'Subject: long', '', '字'.repeat(inboundMailLimits.textCharacters + 50)]);
    const text = (await parseInboundMail(raw)).text;
    expect([...text]).toHaveLength(inboundMailLimits.textCharacters);
    expect(text.endsWith('[… cut: the message was longer]')).toBe(true);
  });
});

describe('attachments', () => {
  const part = (index: number, size: number) => ({ index, name: `f${index}`, type: 'text/plain', size, content: new Uint8Array(size) });
  const limits = { attachmentBytes: 100, messageAttachmentBytes: 150, attachments: 2, textCharacters: 10 };

  it('refuses one over the per-attachment limit, those past the per-message total, and past the count', () => {
    const { kept, refused } = sortAttachments('msg-1', [part(0, 101), part(1, 100), part(2, 60), part(3, 50), part(4, 1)], limits);
    expect(kept.map((attachment) => attachment.name)).toEqual(['f1', 'f3']);
    expect(refused).toEqual([
      { name: 'f0', type: 'text/plain', size: 101, reason: 'too-large' },
      { name: 'f2', type: 'text/plain', size: 60, reason: 'message-too-large' },
      { name: 'f4', type: 'text/plain', size: 1, reason: 'too-many' },
    ]);
  });

  it('names an attachment the same way for the same message and part, differently otherwise', () => {
    const id = mailAttachmentId('msg-1', 0);
    expect(looksLikeId('att', id)).toBe(true);
    expect(mailAttachmentId('msg-1', 0)).toBe(id);
    expect(mailAttachmentId('msg-1', 1)).not.toBe(id);
    expect(mailAttachmentId('msg-2', 0)).not.toBe(id);
  });
});

describe('verdicts, subjects, HTML', () => {
  it('refuses a virus or spam FAIL, not GRAY or a failed check', () => {
    expect(verdictRefusal({ spam: 'PASS', virus: 'FAIL' })).toBe('virus');
    expect(verdictRefusal({ spam: 'FAIL', virus: 'PASS' })).toBe('spam');
    expect(verdictRefusal({ spam: 'GRAY', virus: 'PROCESSING_FAILED' })).toBeUndefined();
  });

  it('drops reply and forward prefixes from a new case subject, in English and Chinese', () => {
    expect(caseSubjectOf('Re: RE: Fwd: Refund')).toBe('Refund');
    expect(caseSubjectOf('回覆：退款')).toBe('退款');
    expect(caseSubjectOf('  ')).toBe('(no subject)');
  });

  it('decodes numeric entities and leaves unknown ones', () => {
    expect(htmlToText('&#25105; &#x4F60; &bogus;')).toBe('我 你 &bogus;');
  });
});

describe('the case a mail goes to', () => {
  let counter = 0;
  const context = (now: string): CaseContext => ({
    tenantId: 'ten_TEST',
    now,
    actor: 'system',
    policy: defaultSlaPolicy,
    calendar: { timezone: 'Asia/Taipei', businessHours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } },
    newEntryId: () => `cev_${String(++counter).padStart(4, '0')}`,
  });
  const reply = { customerId: 'cus_A', subject: 'Re: Refund', text: 'Still waiting', attachments: [{ attachmentId: 'att_X', name: 'a.txt', type: 'text/plain', size: 3 }], refusedAttachments: [] };

  it('opens an inquiry whose timeline has the reply with its attachments, and says the customer replied', () => {
    const change = mailCaseChange(reply, { ...context('2026-03-02T02:00:00.000Z'), caseId: 'cas_NEW' });
    expect(change.next).toMatchObject({ caseId: 'cas_NEW', type: 'inquiry', subject: 'Refund', customerId: 'cus_A', status: 'open', version: 1 });
    expect(change.entries.map((entry) => entry.type)).toEqual(['opened', 'customer_reply']);
    expect(change.entries[1]).toMatchObject({ channel: 'email', text: 'Still waiting', subject: 'Re: Refund', attachments: reply.attachments });
    expect(change.entries[1]!.refusedAttachments).toBeUndefined();
    expect(change.events.map((event) => event.detailType)).toEqual(['Case Opened', 'Case SLA Deadlines Changed', 'Case Customer Replied']);
  });

  it('reopens a resolved case, and decides on a new case for a closed one, another customer or an unknown id', () => {
    const opened = mailCaseChange(reply, { ...context('2026-03-02T02:00:00.000Z'), caseId: 'cas_OLD' }).next;
    const resolved = { ...opened, status: 'resolved' as const, resolvedAt: '2026-03-03T02:00:00.000Z' };
    const change = mailReplyChange(resolved, reply, context('2026-03-04T02:00:00.000Z'));
    expect(change.next.status).toBe('open');
    expect(change.entries.map((entry) => entry.type)).toEqual(['status_change', 'customer_reply']);
    expect(decideMailCase('cas_OLD', { ...opened, status: 'closed' }, 'cus_A')).toEqual({ kind: 'open', reason: 'closed', relatedCaseId: 'cas_OLD' });
    expect(decideMailCase('cas_OLD', opened, 'cus_B')).toEqual({ kind: 'open', reason: 'other-customer' });
    expect(decideMailCase('cas_OTHER', undefined, 'cus_A')).toEqual({ kind: 'open', reason: 'unknown-case' });
    expect(decideMailCase(undefined, undefined, 'cus_A')).toEqual({ kind: 'open', reason: 'no-thread' });
    expect(decideMailCase('cas_OLD', opened, 'cus_A')).toMatchObject({ kind: 'continue' });
  });
});
