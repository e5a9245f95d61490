/**
 * The HTTP error handler: every error leaves as `{ statusCode, code, error, message, details }`
 * from the one table in errors.ts. Schema failures name each failing path; parse, size and
 * content-type errors keep their 4xx; a store that cannot be reached is 503 STORE_UNAVAILABLE
 * with Retry-After (nothing of the request was acknowledged: send it again); anything
 * unexpected is logged and answered 500 without internals.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERRORS, type ErrorCode, type ErrorDetail } from './errors.ts';
import { isStoreUnreachable, STORE_RETRY_AFTER_SECONDS } from './store/faults.ts';

/** A batch of thousands of bad items answers with the first few problems, not a megabyte. */
const MAX_DETAILS = 50;

export function httpErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const known = classify(error);
  if (known.code === 'INTERNAL') request.log.error({ err: error }, 'unhandled error');
  if (known.code === 'STORE_UNAVAILABLE') {
    request.log.warn({ err: error }, 'store unavailable');
    reply.header('retry-after', String(STORE_RETRY_AFTER_SECONDS));
  }
  return reply.code(ERRORS[known.code].status).send({
    statusCode: ERRORS[known.code].status,
    code: known.code,
    error: known.code,
    message: known.message,
    details: known.details.slice(0, MAX_DETAILS),
  });
}

function classify(error: FastifyError): { code: ErrorCode; message: string; details: ErrorDetail[] } {
  if (error instanceof AppError) return { code: error.code, message: error.message, details: error.details };
  if (isStoreUnreachable(error)) return { code: 'STORE_UNAVAILABLE', message: ERRORS.STORE_UNAVAILABLE.message, details: [] };
  if (error.validation) {
    const details = error.validation.slice(0, MAX_DETAILS).map((v) => ({
      path: `${error.validationContext === 'body' ? '' : `/${error.validationContext ?? ''}`}${v.instancePath || '/'}`,
      message: describeValidation(v),
    }));
    return { code: 'VALIDATION_FAILED', message: `invalid ${error.validationContext ?? 'request'}: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`, details };
  }
  if (error.code?.startsWith('FST_CSRF_')) return { code: 'CSRF_FAILED', message: ERRORS.CSRF_FAILED.message, details: [] };
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { code: 'BODY_TOO_LARGE', message: error.message, details: [] };
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { code: 'UNSUPPORTED_MEDIA_TYPE', message: ERRORS.UNSUPPORTED_MEDIA_TYPE.message, details: [] };
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return { code: 'VALIDATION_FAILED', message: error.message, details: [] };
  }
  return { code: 'INTERNAL', message: ERRORS.INTERNAL.message, details: [] };
}

function describeValidation(v: NonNullable<FastifyError['validation']>[number]): string {
  const params = v.params as Record<string, unknown>;
  if (v.keyword === 'additionalProperties') return `has unknown property "${String(params.additionalProperty)}"`;
  if (v.keyword === 'required') return `misses required property "${String(params.missingProperty)}"`;
  if (v.keyword === 'enum') return `${v.message ?? 'must be one of the allowed values'}: ${JSON.stringify(params.allowedValues)}`;
  return v.message ?? v.keyword;
}

/** Unknown routes answer like every other error: a code from the one table. */
export function httpNotFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.code(404).send({
    statusCode: 404,
    code: 'NOT_FOUND',
    error: 'NOT_FOUND',
    message: `no route ${request.method} ${request.url.split('?')[0]}`,
    details: [],
  });
}
