import { CombinedGraphQLErrors } from '@apollo/client/errors';

/** A message a user can read: the API's own message, else a generic one. */
export function errorMessage(e: unknown): string {
  if (CombinedGraphQLErrors.is(e)) return e.errors.map((x) => x.message).join('\n');
  if (e instanceof Error) return e.message;
  return String(e);
}

/** The API's stable error code (`extensions.code`), if any. */
export function errorCode(e: unknown): string | null {
  if (CombinedGraphQLErrors.is(e)) {
    const code = e.errors[0]?.extensions?.['code'];
    return typeof code === 'string' ? code : null;
  }
  return null;
}

/** The API's stable refusal reason (`extensions.reason`), if any. */
export function errorReason(e: unknown): string | null {
  if (CombinedGraphQLErrors.is(e)) {
    const reason = e.errors[0]?.extensions?.['reason'];
    return typeof reason === 'string' ? reason : null;
  }
  return null;
}
