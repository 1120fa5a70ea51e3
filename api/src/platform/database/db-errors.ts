import {
  DriverException,
  ForeignKeyConstraintViolationException,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';

/** The database enforces uniqueness and references; services turn violations into domain errors. */
// A statement sent through `PreparedSql` fails with the driver's own error, not MikroORM's.
const UNIQUE_VIOLATION = '23505';

export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const violation =
    e instanceof UniqueConstraintViolationException ||
    (e instanceof Error && (e as Error & { code?: string }).code === UNIQUE_VIOLATION);
  return violation && (!constraint || mentions(e as Error, constraint));
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
