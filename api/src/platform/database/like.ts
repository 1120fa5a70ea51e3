/** A `%…%` pattern that matches `text` literally (its `%`, `_` and `\` escaped). */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
