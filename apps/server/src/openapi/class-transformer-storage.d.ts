// class-transformer ships this entry point without typings; class-validator-jsonschema needs it
// to follow `@Type(() => Nested)` references.
declare module 'class-transformer/cjs/storage' {
  import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
  export const defaultMetadataStorage: MetadataStorage;
}
