import { Pool } from 'pg';

/**
 * A small pool for the hottest statements, sent as named prepared statements: PostgreSQL parses
 * and plans each once per connection instead of once per call (the ORM inlines values into the
 * SQL text). Only for single, self-contained statements (autocommit), always scoped by tenant.
 */
export class PreparedSql {
  private readonly pool: Pool;

  constructor(url: string, max = 10) {
    this.pool = new Pool({ connectionString: url, max });
    // An idle connection that the server ends (a restart, an administrator) is dropped from the
    // pool and replaced on demand; without a listener its error would end the process.
    this.pool.on('error', () => undefined);
  }

  /** `sql` uses `?` placeholders, numbered here in order. */
  statement(name: string, sql: string): PreparedStatement {
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    return { name, text };
  }

  async query<R>(statement: PreparedStatement, values: unknown[]): Promise<R[]> {
    const result = await this.pool.query({ name: statement.name, text: statement.text, values });
    return result.rows as R[];
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

export interface PreparedStatement {
  name: string;
  text: string;
}
