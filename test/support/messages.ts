import type { MessageData } from '../../src/app/message.js';
import type { ChannelOptions, OutgoingMessage } from '../../src/app/ports.js';
import { ConfigSchema } from '../../src/config/schema.js';

/** What a test message may set: the message's own fields, its stage and its cases. */
export type OutgoingOverrides = Partial<Omit<OutgoingMessage, 'data'>> & { stage?: string; stageNumber?: number; caseIds?: number[] };

/** A customer's message for stage `stage`, as app/ builds one (the data its merge fields are made from). */
export function outgoing(n: number, overrides: OutgoingOverrides = {}): OutgoingMessage {
  const { stage = 'reminder', stageNumber = 1, caseIds = [n], ...message } = overrides;
  const email = message.to?.address ?? `customer${n}@example.com`;
  const data: MessageData = {
    emailKey: email.toLowerCase(),
    caseIds,
    customer: { email, firstName: `First${n}`, lastName: `Last${n}` },
    cases: [{ orderId: `A-${1000 + n}`, product: 'Online-Kurs', openMinor: 4990 + n, currency: 'EUR', dueDate: '2025-03-01', daysOverdue: 4, manageLink: `https://shop.example.com/payment/tok${n}/manage` }],
    stage: { name: stage, number: stageNumber },
    locale: 'de',
    timeZone: 'Europe/Berlin',
    company: 'Beispiel GmbH',
  };
  return {
    messageId: `<m${n}@dunning.local>`,
    to: { name: `First${n} Last${n}`, address: email },
    from: { name: 'Beispiel GmbH', address: 'billing@example.com' },
    subject: `Zahlungserinnerung A-${1000 + n}`,
    text: `Hallo First${n}, bitte zahlen Sie.`,
    html: `<p>Hallo First${n}, bitte zahlen Sie.</p>`,
    headers: { 'X-Dunning-Case': String(n) },
    data,
    ...message,
  };
}

/** `count` messages numbered from `first`. */
export function outgoingMany(count: number, first = 1, overrides: OutgoingOverrides = {}): OutgoingMessage[] {
  return Array.from({ length: count }, (_, i) => outgoing(first + i, overrides));
}

/** Channel options from a config object (defaults filled in by the real schema) and an environment. */
export function channelOptions(config: Record<string, unknown>, env: NodeJS.ProcessEnv): ChannelOptions {
  return { config: ConfigSchema.parse(config), env, baseDir: process.cwd(), runId: 1 };
}

/** The default sequence (reminder, second, final) with some stages' settings changed, as a config fragment. */
export function stagesWith(changes: Record<string, Record<string, unknown>>): { sequence: { stages: Record<string, unknown>[] } } {
  const stages = [
    { name: 'reminder', afterDays: 1, template: 'reminder' },
    { name: 'second', afterDays: 3, template: 'second' },
    { name: 'final', afterDays: 7, template: 'final' },
  ];
  return { sequence: { stages: stages.map((s) => ({ ...s, ...changes[s.name] })) } };
}
