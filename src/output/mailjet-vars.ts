import type { MailjetVariables } from '../app/templates.js';
import { renderTable } from './table.js';
import type { Terminal } from './terminal.js';

type MailjetVarsView = MailjetVariables;

const LOOP_VAR = 'order';

/** Prints every variable with its `{{var:…}}` syntax and an example value, or one JSON document. */
export function printMailjetVars(terminal: Terminal, view: MailjetVarsView): void {
  const orderNames = Object.keys(view.orders[0] ?? {});
  const loop = `{% for ${LOOP_VAR} in var:orders %}{{${LOOP_VAR}.order_id}}: {{${LOOP_VAR}.open_amount}}, {{${LOOP_VAR}.manage_link}}{% endfor %}`;
  if (terminal.json) {
    terminal.document({
      locale: view.locale,
      variables: view.names.map((name) => ({ name, syntax: syntax(name), example: view.example[name], description: view.descriptions[name] })),
      orders: { variable: 'orders', fields: orderNames, example: view.orders, loop },
    });
    return;
  }
  terminal.info(`Variables dunning passes to a Mailjet template (stage "mailjetTemplateId" in dunning.config.json); examples in "${view.locale}":`);
  terminal.out(renderTable(['use in the template', 'example', 'meaning'], view.names.map((name) => [syntax(name), String(view.example[name]), view.descriptions[name]])));
  terminal.out('');
  terminal.out(`orders: one entry per open order, with ${orderNames.join(', ')}. A loop:`);
  terminal.out(`  ${loop}`);
  terminal.info('');
  terminal.info('The "" after the second colon is the default Mailjet shows when a value is empty; without a default Mailjet does not deliver a message that lacks the variable.');
}

function syntax(name: string): string {
  return `{{var:${name}:""}}`;
}
