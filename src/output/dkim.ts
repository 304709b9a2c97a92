import type { Terminal } from './terminal.js';

/** The record `dunning dkim check` prints. */
export interface DkimRecordView {
  name: string;
  value: string;
  bits: number;
  domainName: string;
}

/** A TXT string holds at most 255 bytes (RFC 1035); a 2048-bit key's record is longer, so zone files split it. */
function zoneStrings(value: string): string {
  const parts: string[] = [];
  for (let i = 0; i < value.length; i += 255) parts.push(`"${value.slice(i, i + 255)}"`);
  return parts.join(' ');
}

/** Prints the DNS TXT record to publish, once as most DNS panels take it and once as a zone file line. */
export function printDkimRecord(terminal: Terminal, view: DkimRecordView): void {
  if (terminal.json) {
    terminal.document({ name: view.name, type: 'TXT', value: view.value, bits: view.bits });
    return;
  }
  terminal.info(`DKIM key: RSA, ${view.bits} bits. Publish this TXT record in the DNS of ${view.domainName}:`);
  terminal.info('');
  terminal.out(`name:  ${view.name}`);
  terminal.out('type:  TXT');
  terminal.out(`value: ${view.value}`);
  terminal.info('');
  terminal.info('As a zone file line:');
  terminal.out(`${view.name}. IN TXT ${zoneStrings(view.value)}`);
  if (view.bits < 2048) terminal.warn(`warning: a ${view.bits}-bit key is accepted but weak; 2048 bits is recommended ("openssl genrsa -out dkim.key 2048")`);
}
