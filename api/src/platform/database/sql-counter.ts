import { AsyncLocalStorage } from 'node:async_hooks';
import { DefaultLogger, type LogContext, type LoggerOptions } from '@mikro-orm/core';

export interface SqlCount {
  statements: number;
}

/** The SQL statements issued within one request (benchmarks and tests: DEBUG_SQL_COUNT). */
export const sqlCounter = new AsyncLocalStorage<SqlCount>();

/** Counts every query into the request's counter; writes nothing unless query tracing is on. */
export class CountingLogger extends DefaultLogger {
  constructor(
    options: LoggerOptions,
    private readonly trace: boolean,
  ) {
    super(options);
  }

  override logQuery(context: { query: string } & LogContext): void {
    const count = sqlCounter.getStore();
    if (count) count.statements += 1;
    if (this.trace) super.logQuery(context);
  }
}
