/**
 * The one mapper from errors to HTTP responses. Domain errors keep their message (the client can act
 * on it); anything else is a generic 500 carrying the correlation id, logged in full with it.
 */

import { DENIALS_METRIC } from '../../declarations/metrics.js';
import {
  AuditUnavailableError,
  ConflictError,
  DomainError,
  ForbiddenError,
  PolicyRefusalError,
  ValidationError,
} from '../domain/errors.js';
import { log } from '../platform/log.js';
import { metric } from '../platform/metrics.js';

const STATUS: Record<DomainError['kind'], number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  policy: 422,
  unavailable: 503,
};

export interface ErrorBody {
  error: string;
  message: string;
  field?: string;
  rule?: string;
  issues?: { field: string; message: string }[];
  correlationId: string;
}

/** Zod-style validation failure with every issue listed (the first also in `message`). */
export class RequestValidationError extends ValidationError {
  constructor(readonly issues: { field: string; message: string }[]) {
    const first = issues[0] ?? { field: 'request', message: 'invalid' };
    super(first.field, first.message);
  }
}

export const errorResponse = (error: unknown, correlationId: string): { status: number; body: ErrorBody } => {
  if (error instanceof DomainError) {
    const body: ErrorBody = { error: error.name, message: error.message, correlationId };
    if (error instanceof ValidationError) body.field = error.field;
    if (error instanceof RequestValidationError) body.issues = error.issues;
    if (error instanceof ForbiddenError || error instanceof PolicyRefusalError) body.rule = error.rule;
    if (error instanceof ConflictError && error.rule) body.rule = error.rule;
    if (error instanceof AuditUnavailableError)
      log.error('audit log unavailable: request refused', { correlationId, error: error.cause });
    else if (STATUS[error.kind] >= 403)
      log.info('request refused', { correlationId, error: error.name, rule: body.rule });
    if (body.rule) metric(DENIALS_METRIC, { rule: body.rule });
    return { status: STATUS[error.kind], body };
  }
  log.error('unhandled error', { correlationId, error });
  return {
    status: 500,
    body: {
      error: 'InternalError',
      message: 'Something went wrong; quote the correlation id.',
      correlationId,
    },
  };
};
