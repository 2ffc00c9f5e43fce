import type { SchemaObject } from '@nestjs/swagger';
import * as contracts from '@parley/contracts';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';

export const ERROR_RESPONSE_SCHEMA = 'ErrorResponseDto';
export const REF_PREFIX = '#/components/schemas/';

/**
 * JSON schemas for every contract class, generated from their class-validator decorators so
 * Swagger cannot drift from what the server actually accepts. Classes registered by the server
 * itself (its environment schema) are left out: only what `@parley/contracts` exports is public.
 */
export function contractSchemas(): Record<string, SchemaObject> {
  const generated = validationMetadatasToSchemas({
    refPointerPrefix: REF_PREFIX,
    classTransformerMetadataStorage: defaultMetadataStorage,
  }) as Record<string, SchemaObject>;
  const exported = new Set(
    Object.entries(contracts)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => name),
  );
  const schemas = Object.fromEntries(
    Object.entries(generated).filter(([name]) => exported.has(name)),
  );
  return schemas;
}
