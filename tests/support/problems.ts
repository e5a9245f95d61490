/**
 * For unit tests of the phone parsers: the details of the VALIDATION_FAILED a bad input gets,
 * or a failure when it gets none.
 */
import { AppError, type ErrorDetail } from '../../server/errors.ts';

export function validationProblems(read: () => unknown): ErrorDetail[] {
  try {
    read();
  } catch (error) {
    if (error instanceof AppError && error.code === 'VALIDATION_FAILED') return error.details;
    throw error;
  }
  throw new Error('expected a VALIDATION_FAILED');
}
