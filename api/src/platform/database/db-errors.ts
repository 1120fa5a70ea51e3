import { ForeignKeyConstraintViolationException, UniqueConstraintViolationException } from '@mikro-orm/core';

/** The database enforces uniqueness and references; services turn violations into domain errors. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  return e instanceof UniqueConstraintViolationException && (!constraint || mentions(e, constraint));
}

export function isForeignKeyViolation(e: unknown, constraint?: string): boolean {
  return e instanceof ForeignKeyConstraintViolationException && (!constraint || mentions(e, constraint));
}

function mentions(e: Error, constraint: string): boolean {
  const detail = (e as Error & { constraint?: string }).constraint;
  return detail === constraint || e.message.includes(constraint);
}
