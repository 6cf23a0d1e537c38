/**
 * One key's text → its typed value, or a problem that says what was expected in our words and in
 * Kafka's. Shared by the broker and topic tables.
 */
import { kafkaInvalidValue, type ConfigProblem } from './config-error.js';
import type { ConfigKeyDef, ConfigValue } from './types.js';
import { typeForm } from './validators.js';
import { parseValue } from './value-parser.js';

export type KeyParse =
  | { readonly ok: true; readonly value: ConfigValue; readonly text: string }
  | { readonly ok: false; readonly problem: ConfigProblem };

/** "an int of at least 14 (e.g. 1073741824)": the form a key's value must take. */
export function expectedForm(def: ConfigKeyDef): string {
  const form = def.validator === undefined ? typeForm(def.type) : def.validator.form(def.type);
  if (def.type === 'boolean' || def.validator?.enumerates === true) return form;
  const example = def.example ?? def.default;
  return example === null || example === '' ? form : `${form} (e.g. ${example})`;
}

export function parseKey(name: string, def: ConfigKeyDef, raw: string, origin?: string): KeyParse {
  const hidden = def.type === 'password';
  const value = hidden ? '[hidden]' : raw;
  const parsed = parseValue(def.type, raw);
  const fail = (shown: string, reason: string): KeyParse => ({
    ok: false,
    problem: {
      key: name,
      value,
      expected: expectedForm(def),
      ...(origin === undefined ? {} : { origin }),
      kafkaMessage: kafkaInvalidValue(name, hidden ? '[hidden]' : shown, reason),
    },
  });
  if (!parsed.ok) return fail(raw, parsed.reason);
  const failure = def.validator?.check(parsed.value);
  if (failure !== undefined) return fail(failure.shown ?? parsed.text, failure.reason);
  return parsed;
}

const defaults = new WeakMap<ConfigKeyDef, { value: ConfigValue; text: string } | null>();

/** The parsed default of a key (null when Kafka's default is null). The tables' tests prove these parse. */
export function defaultOf(def: ConfigKeyDef): { readonly value: ConfigValue; readonly text: string } | null {
  let cached = defaults.get(def);
  if (cached === undefined) {
    if (def.default === null) cached = null;
    else {
      const parsed = parseValue(def.type, def.default);
      if (!parsed.ok) throw new Error(`config table default does not parse: ${def.default} (${parsed.reason})`);
      cached = { value: parsed.value, text: parsed.text };
    }
    defaults.set(def, cached);
  }
  return cached;
}
