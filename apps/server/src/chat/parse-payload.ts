import { validatePayload } from '@parley/contracts';
import type { ClassConstructor } from 'class-transformer';
import { AppException } from '../common/errors/app-exception';

/** Socket payloads are validated with the same contract classes and options as REST bodies. */
export function parsePayload<T extends object>(dto: ClassConstructor<T>, payload: unknown): T {
  const result = validatePayload(dto, payload);
  if (!result.ok) {
    throw new AppException('validation_failed', 'The payload is invalid', {
      issues: result.issues,
    });
  }
  return result.value;
}
