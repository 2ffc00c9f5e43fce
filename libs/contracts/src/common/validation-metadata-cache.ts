import { getMetadataStorage } from 'class-validator';

type MetadataStorage = ReturnType<typeof getMetadataStorage>;
type Lookup = MetadataStorage['getTargetValidationMetadatas'];
type LookupResult = ReturnType<Lookup>;

const memoized = new WeakSet<MetadataStorage>();

/**
 * class-validator finds a class's rules, on every validation, by scanning every class it knows
 * for ancestors (typestack/class-validator#2686): the cost of validating one small payload grows
 * with the number of contract classes, and it was the largest part of validating `send_message`.
 * The answer only changes when a rule is registered, so this keeps it per class and options, and
 * forgets everything whenever a rule is added (decorators run at class definition, so in practice
 * once, at startup). Callers get a copy: the library's own callers never change the array, but a
 * shared one must not depend on that. Idempotent; applied by importing `validate.ts`.
 */
export function memoizeValidationMetadata(storage: MetadataStorage = getMetadataStorage()): void {
  if (memoized.has(storage)) return;
  memoized.add(storage);
  const lookup: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  const addRule = storage.addValidationMetadata.bind(storage);
  let byClass = new WeakMap<object, Map<string, LookupResult>>();

  storage.addValidationMetadata = (metadata) => {
    byClass = new WeakMap();
    addRule(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0000') ?? ''}`;
    let forClass = byClass.get(target);
    if (!forClass) {
      forClass = new Map();
      byClass.set(target, forClass);
    }
    let rules = forClass.get(key);
    if (!rules) {
      rules = lookup(target, schema, always, strictGroups, groups);
      forClass.set(key, rules);
    }
    return rules.slice();
  };
}
