/**
 * Typed domain errors. Each carries an HTTP status and a Dutch message that is safe to show:
 * only errors with a status below 500 expose their message (middy's `expose` rule).
 */
export class DomainError extends Error {
  /** HTTP status this error maps to. */
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = new.target.name;
    this.status = status;
  }
  /** Whether the message may be shown to the user. */
  get expose(): boolean {
    return this.status < 500;
  }
}

/** Something the user asked for does not exist (404). */
export class NotFoundError extends DomainError {
  constructor(message = 'Deze pagina bestaat niet.') {
    super(message, 404);
  }
}

/** Input that fails validation (400). */
export class ValidationError extends DomainError {
  constructor(message: string) {
    super(message, 400);
  }
}

/** A configuration value is missing or malformed; the process cannot start. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
