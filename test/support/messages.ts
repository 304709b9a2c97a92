import type { ChannelOptions, OutgoingMessage } from '../../src/channels/channel.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { mergeFields, orderFields, type MergeFieldInput } from '../../src/core/merge-fields.js';

/** A customer's message for stage `stage`, with variables from the real merge-field function. */
export function outgoing(n: number, overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  const email = overrides.to?.address ?? `customer${n}@example.com`;
  const stage = overrides.stage ?? 'reminder';
  const input: MergeFieldInput = {
    customer: { email, firstName: `First${n}`, lastName: `Last${n}` },
    cases: [{ orderId: `A-${1000 + n}`, product: 'Online-Kurs', openMinor: 4990 + n, currency: 'EUR', dueDate: '2025-03-01', daysOverdue: 4, manageLink: `https://shop.example.com/payment/tok${n}/manage` }],
    stage: { name: stage, number: overrides.stageNumber ?? 1 },
    locale: 'de',
    timeZone: 'Europe/Berlin',
    company: 'Beispiel GmbH',
  };
  return {
    messageId: `<m${n}@dunning.local>`,
    customerKey: email.toLowerCase(),
    stage,
    stageNumber: 1,
    caseIds: [n],
    to: { name: `First${n} Last${n}`, address: email },
    from: { name: 'Beispiel GmbH', address: 'billing@example.com' },
    subject: `Zahlungserinnerung A-${1000 + n}`,
    text: `Hallo First${n}, bitte zahlen Sie.`,
    html: `<p>Hallo First${n}, bitte zahlen Sie.</p>`,
    headers: { 'X-Dunning-Case': String(n) },
    variables: mergeFields(input),
    orders: orderFields(input),
    ...overrides,
  };
}

/** `count` messages numbered from `first`. */
export function outgoingMany(count: number, first = 1, overrides: Partial<OutgoingMessage> = {}): OutgoingMessage[] {
  return Array.from({ length: count }, (_, i) => outgoing(first + i, overrides));
}

/** Channel options from a config object (defaults filled in by the real schema) and an environment. */
export function channelOptions(config: Record<string, unknown>, env: NodeJS.ProcessEnv): ChannelOptions {
  return { config: ConfigSchema.parse(config), env, baseDir: process.cwd(), runId: 1 };
}
