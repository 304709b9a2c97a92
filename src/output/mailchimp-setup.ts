import type { ChannelSetup } from '../app/channel-setup.js';
import type { FieldSetup } from '../app/ports.js';
import { renderTable } from './table.js';
import type { Terminal } from './terminal.js';

type MailchimpSetupView = ChannelSetup;

/** Prints the merge fields (created, existing, conflicting) and what to configure in the Customer Journey. */
export function printMailchimpSetup(terminal: Terminal, view: MailchimpSetupView): void {
  if (terminal.json) {
    terminal.document({ listId: view.listId, fields: view.fields, stages: view.stages });
    return;
  }
  const created = view.fields.filter((f) => f.state === 'created');
  const existing = view.fields.filter((f) => f.state === 'exists');
  terminal.out(`Audience ${view.listId}: ${created.length} merge field${created.length === 1 ? '' : 's'} created, ${existing.length} existed already.`);
  const state = (f: FieldSetup): string => (f.state === 'conflict' ? `exists as ${f.existingType ?? '?'}, dunning writes ${f.type}` : f.state === 'created' ? 'created' : 'exists already');
  terminal.out(renderTable(['merge tag', 'name', 'type', ''], view.fields.map((f) => [`*|${f.tag}|*`, f.name, f.type, state(f)])));
  for (const f of view.fields.filter((x) => x.state === 'conflict')) {
    terminal.warn(`warning: merge field ${f.tag} has type ${f.existingType ?? '?'}; change it to ${f.type} in Mailchimp (Audience > Settings > Audience fields and *|MERGE|* tags) or the push of ${f.tag} fails`);
  }
  terminal.info('');
  terminal.info('In Mailchimp, build one Customer Journey per stage (Automations > Customer Journeys > Create):');
  terminal.out(renderTable(['stage', 'after', 'starting point "Tag added"'], view.stages.map((s) => [s.name, s.after, s.tag])));
  terminal.info('  - Starting point: "Tag added" with the stage\'s tag, for this audience.');
  terminal.info(`  - Email step: use ${view.fields.map((f) => `*|${f.tag}|*`).join(', ')}.`);
  terminal.info('  - Before each email, an If/Else rule "contact has tag <the stage tag>": dunning removes the tags of a customer');
  terminal.info('    whose cases are all paid, or whom you stopped ("dunning customer EMAIL --stop"), on its next run, so they get');
  terminal.info('    no further email.');
  terminal.info('  - New customers are added as non-subscribed (transactional) contacts, never as subscribed: a reminder is no');
  terminal.info('    marketing consent. Check that the journey\'s emails may go to non-subscribed contacts on your plan, or only');
  terminal.info('    customers who subscribed before will receive them.');
}
