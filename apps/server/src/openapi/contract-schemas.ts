import type { SchemaObject } from '@nestjs/swagger';
import * as contracts from '@parley/contracts';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { ValidationTypes } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { defaultConverters } from 'class-validator-jsonschema/build/defaultConverters';
import type { SchemaConverter } from 'class-validator-jsonschema/build/defaultConverters';

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
    additionalConverters: {
      [ValidationTypes.CUSTOM_VALIDATION]: (meta, options) =>
        meta.target === contracts.SyncDto && meta.propertyName === 'rooms'
          ? { ...contracts.SYNC_ROOMS_JSON_SCHEMA }
          : meta.target === contracts.SyncDto && meta.propertyName === 'changes'
            ? {
                ...contracts.SYNC_ROOMS_JSON_SCHEMA,
                description:
                  'Room id → the last changeSeq the client holds for it (from a history page or a previous sync)',
                example: { k3v9x0q2mz: 7 },
              }
            : (defaultConverters[ValidationTypes.CUSTOM_VALIDATION] as SchemaConverter)(
                meta,
                options,
              ),
    },
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
