/**
 * Named domain errors. functions/http/errors.ts maps each kind to one HTTP status; nothing else does.
 * Messages are shown to the client (below 500), so they say what was wrong and what was expected.
 */
export abstract class DomainError extends Error {
  abstract readonly kind:
    | 'validation'
    | 'unauthenticated'
    | 'forbidden'
    | 'not-found'
    | 'conflict'
    | 'policy'
    | 'unavailable';
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input: names the field and what was expected. → 400 */
export class ValidationError extends DomainError {
  readonly kind = 'validation';
  constructor(
    readonly field: string,
    readonly expected: string,
  ) {
    super(`${field}: ${expected}`);
  }
}

/** No or unusable identity. → 401 */
export class NotAuthenticatedError extends DomainError {
  readonly kind = 'unauthenticated';
}

/** The policy does not allow this principal to do this. `rule` names the policy rule. → 403 */
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}

/** → 404 */
export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
  constructor(what: string) {
    super(`${what} not found`);
  }
}

/** The request contradicts the stored state (idempotency key reuse, wrong state). → 409 */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
  /** The state rule refused, when there is one (e.g. `release.state.issued-required`). */
  readonly rule?: string;
  constructor(message: string, rule?: string) {
    super(message);
    if (rule) this.rule = rule;
  }
}

/** Well-formed, but the policy refuses it (no business case, card data, retained...). `rule` names it. → 422 */
export class PolicyRefusalError extends DomainError {
  readonly kind = 'policy';
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The access audit log could not record this attempt (retries ran out), so the request is refused
 * rather than served or refused unrecorded (fail closed). → 503
 */
export class AuditUnavailableError extends DomainError {
  readonly kind = 'unavailable';
  constructor(
    readonly attempts: number,
    override readonly cause?: unknown,
  ) {
    super(
      `the access audit log could not record this request after ${attempts} attempts, so it was not ` +
        'carried out; try again shortly',
    );
  }
}
