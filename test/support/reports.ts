/** Delivery status notifications (RFC 3464) and ARF abuse reports (RFC 5965) as mail servers send them back. */

export interface DsnOptions {
  id: string;
  date: string;
  recipient: string;
  status: string;
  action?: string;
  diagnostic?: string;
  /** The returned message's headers. */
  originalMessageId?: string;
  originalCase?: string;
}

function returnedHeaders(o: { recipient: string; originalMessageId?: string; originalCase?: string }): string {
  return [
    'From: Yoga Sonne <billing@yoga-sonne.de>',
    `To: <${o.recipient}>`,
    'Subject: Erinnerung',
    ...(o.originalMessageId === undefined ? [] : [`Message-ID: ${o.originalMessageId}`]),
    ...(o.originalCase === undefined ? [] : [`X-Dunning-Case: ${o.originalCase}`]),
  ].join('\n');
}

/** A bounce as Postfix writes it. */
export function dsn(o: DsnOptions): string {
  return `Date: ${o.date}
From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: billing@yoga-sonne.de
Subject: Undelivered Mail Returned to Sender
Message-ID: ${o.id}
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
 boundary="B-${o.id.replace(/[^a-z0-9]/gi, '')}"

--B-${o.id.replace(/[^a-z0-9]/gi, '')}
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net. I'm sorry to have to inform you
that your message could not be delivered to one or more recipients.
From the mail system

--B-${o.id.replace(/[^a-z0-9]/gi, '')}
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
Arrival-Date: ${o.date}

Final-Recipient: rfc822; ${o.recipient}
Original-Recipient: rfc822;${o.recipient}
Action: ${o.action ?? 'failed'}
Status: ${o.status}
Diagnostic-Code: smtp; ${o.diagnostic ?? `550 ${o.status} <${o.recipient}>: Recipient address
    rejected: User unknown in virtual mailbox table`}

--B-${o.id.replace(/[^a-z0-9]/gi, '')}
Content-Type: text/rfc822-headers

${returnedHeaders(o)}

--B-${o.id.replace(/[^a-z0-9]/gi, '')}--
`;
}

/** A spam complaint (ARF) as a feedback loop sends it, with the whole original message. */
export function arf(o: { id: string; date: string; recipient: string; originalMessageId?: string; originalCase?: string }): string {
  return `Date: ${o.date}
From: Feedback Loop <fbl@feedback.example.net>
To: fbl@yoga-sonne.de
Subject: FW: Erinnerung
Message-ID: ${o.id}
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="ARF"

--ARF
Content-Type: text/plain

This is an email abuse report for an email message received from IP 192.0.2.1.

--ARF
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: SomeGenerator/1.0
Version: 1
Original-Mail-From: <billing@yoga-sonne.de>
Original-Rcpt-To: <${o.recipient}>
Arrival-Date: ${o.date}

--ARF
Content-Type: message/rfc822

${returnedHeaders(o)}
Content-Type: text/plain; charset=utf-8

Guten Tag, Ihre Zahlung ist offen.
--ARF--
`;
}

/** An out-of-office reply: mail, but no report. */
export function autoReply(o: { id: string; date: string }): string {
  return `Date: ${o.date}
From: Anna <anna.mueller@example.de>
To: billing@yoga-sonne.de
Subject: Abwesenheitsnotiz
Message-ID: ${o.id}
Auto-Submitted: auto-replied

Ich bin bis 30.11. nicht im Büro.
From now on, please write to my colleague.
`;
}

/** An mbox file (mboxrd): each message after a "From " line, ">From " for body lines that start so. */
export function mboxOf(messages: readonly string[]): string {
  return messages.map((m) => `From MAILER-DAEMON Tue Nov 24 10:00:00 2026\n${m.replace(/^(>*From )/gm, '>$1')}\n`).join('');
}
