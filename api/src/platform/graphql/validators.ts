import { Matches, ValidateIf } from 'class-validator';

/**
 * An input field that may be left out but not set to null: its other validators then reject
 * `null` with a message naming the field, instead of the database refusing a NOT NULL column.
 */
export const OptionalNotNull = () => ValidateIf((_object, value) => value !== undefined);

/** A name with at least one character that is not a space (services store it trimmed). */
export const NotBlank = () => Matches(/\S/, { message: ({ property }) => `${property} must not be blank` });
