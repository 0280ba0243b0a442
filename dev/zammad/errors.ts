/**
 * Errors raised by the stand-in's handlers, shaped like `humanize_error` in
 * `app/controllers/application_controller/handles_errors.rb`.
 */
import { randomBytes } from 'node:crypto';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The JSON body exactly as it goes out. */
    readonly body: { error: string; error_human?: string },
  ) {
    super(body.error);
    this.name = 'ApiError';
  }
}

/** `{"error": msg, "error_human": msg}`: the humanised error of Zammad. */
export function apiError(status: number, message: string): ApiError {
  return new ApiError(status, { error: message, error_human: message });
}

export const unprocessable = (message: string): ApiError => apiError(422, message);
export const notFound = (message: string): ApiError => apiError(404, message);
export const forbidden = (message: string): ApiError => apiError(403, message);
export const unauthorized = (message: string): ApiError => apiError(401, message);

/** `SecureRandom.urlsafe_base64(6)`: 6 random bytes, 8 url-safe characters. */
export function errorId(): string {
  return randomBytes(6).toString('base64url');
}

/** The message non-admin callers get for anything that is not "humanised". */
export function maskedMessage(): string {
  return `Error ID ${errorId()}: Please contact your administrator.`;
}

/** A non-humanised error (no `error_human`), e.g. Core Workflow 422s or exceptions (500). */
export function masked(status: number): ApiError {
  return new ApiError(status, { error: maskedMessage() });
}

/** `RecordNotFound` for `Model.find(id)`. */
export function recordNotFound(model: string, id: unknown): ApiError {
  if (id === undefined || id === null || id === '') return notFound(`Couldn't find ${model} without an ID`);
  return notFound(`Couldn't find ${model} with 'id'=${String(id)}`);
}

/** `"…".inspect` of Ruby for the lookup error (close enough: JSON string quoting). */
export function rubyInspect(value: unknown): string {
  return JSON.stringify(value) ?? 'nil';
}
