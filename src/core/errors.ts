/**
 * Typed domain errors. Core code throws these; the server maps them to HTTP status codes in one place
 * (src/server/plugins/errors.ts) and renders `code` through the message catalogue in the user's language.
 */
export type ErrorCode = string;

/** A message parameter; dates and other language-dependent values carry both renderings. */
export type MessageParam = string | number | { ja: string; en: string };

export abstract class DomainError extends Error {
  abstract readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, MessageParam> = {},
    readonly details?: unknown,
  ) {
    super(code);
    this.name = new.target.name;
  }
}

/** Also used for "you may not see this": existence itself can be confidential. */
export class NotFound extends DomainError {
  readonly status = 404;
}
export class Forbidden extends DomainError {
  readonly status = 403;
}
export class Unauthenticated extends DomainError {
  readonly status = 401;
}
export class Invalid extends DomainError {
  readonly status = 400;
}
export class Conflict extends DomainError {
  readonly status = 409;
}
export class TooManyAttempts extends DomainError {
  readonly status = 429;
  constructor(readonly retryAfterSeconds: number) {
    super('too_many_attempts', { seconds: retryAfterSeconds });
  }
}
