import { z } from 'zod';
import { ConfigSchema } from './schema.js';

/** The JSON Schema of dunning.config.json that ships with the package, so editors complete and explain keys. */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://github.com/dunning/dunning/schema/dunning.config.schema.json',
    title: 'dunning configuration',
    description: 'Configuration of the dunning CLI. Every key is optional; missing keys take the defaults shown here.',
  };
}
