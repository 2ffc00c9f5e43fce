import { ValidationPipe } from '@nestjs/common';
import { flattenValidationErrors, VALIDATOR_OPTIONS } from '@parley/contracts';
import { AppException } from '../errors/app-exception';

/** REST validation with exactly the options the socket gateway and the web forms use. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    exceptionFactory: (errors) =>
      new AppException('validation_failed', 'The request is invalid', {
        issues: flattenValidationErrors(errors),
      }),
  });
}
