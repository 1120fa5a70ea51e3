import {
  DriverException,
  ForeignKeyConstraintViolationException,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';

/** The database enforces uniqueness and references; services turn violations into domain errors. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  return e instanceof UniqueConstraintViolationException && (!constraint || mentions(e, constraint));
}

// PostgreSQL reports ON DELETE RESTRICT as 23001 (restrict_violation) since version 18; MikroORM maps only 23503.
const RESTRICT_VIOLATION = '23001';

export function isForeignKeyViolation(e: unknown, constraint?: string): boolean {
  const violation =
    e instanceof ForeignKeyConstraintViolationException ||
    (e instanceof DriverException && e.code === RESTRICT_VIOLATION);
  return violation && (!constraint || mentions(e as Error, constraint));
}

function mentions(e: Error, constraint: string): boolean {
  const detail = (e as Error & { constraint?: string }).constraint;
  return detail === constraint || e.message.includes(constraint);
}
