import { createHash } from 'node:crypto';

/** What makes a message the same message: its customer, stage, cases and which try it is. */
export interface MessageIdentity {
  emailKey: string;
  stage: string;
  /** 0, or which repeat of a repeating last stage: each repeat is a message of its own. */
  repeat?: number | undefined;
  caseIds: readonly number[];
  /** 1 for the first try; a retry after a failure gets its own Message-ID. */
  attempt: number;
}

/**
 * A stable Message-ID: the same customer, stage, cases and attempt always give the same ID, so a
 * dry run, a preview and the real send agree, and a mail client can recognise a repeat. The domain
 * is the sender's, as mail servers expect.
 */
export function messageIdFor(identity: MessageIdentity, senderEmail: string): string {
  const at = senderEmail.lastIndexOf('@');
  const domain = at >= 0 ? senderEmail.slice(at + 1).toLowerCase() : 'dunning.local';
  // A repeat's number joins the key only when there is one: the IDs of every other message stay as they were.
  const stage = identity.repeat === undefined || identity.repeat === 0 ? identity.stage : `${identity.stage}#${identity.repeat}`;
  const key = [identity.emailKey, stage, [...identity.caseIds].sort((a, b) => a - b).join(','), identity.attempt].join('\n');
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 24);
  return `<dunning.${identity.stage}.${hash}@${domain}>`;
}
