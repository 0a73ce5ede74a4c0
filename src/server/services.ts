import { createPasswordHasher } from '../auth/passwords.ts';
import type { Config } from '../config/config.ts';
import { migrate } from '../db/migrate.ts';
import { openDatabase, type OpenDatabase } from '../db/open.ts';
import { noEntryCache } from '../entries/cache.ts';
import { createEntryRepository } from '../entries/repository.ts';
import { createEntryService } from '../entries/service.ts';
import { createApp, type App } from '../http/app.ts';
import type { Logger } from '../observability/logger.ts';
import { systemClock, type Clock } from '../shared/clock.ts';
import { createUserRepository } from '../users/repository.ts';

export interface Services {
  app: App;
  database: OpenDatabase;
  beginShutdown(): void;
  close(): Promise<void>;
}

export interface ServiceOptions {
  clock?: Clock;
  /** argon2id work factors; tests lower them. */
  passwordCost?: { memoryCostKib: number; timeCost: number };
}

const hashingConcurrency = Math.max(1, navigator.hardwareConcurrency);

/** Wires the service together: the one place that knows every concrete implementation. */
export function createServices(config: Config, logger: Logger, options: ServiceOptions = {}): Services {
  const clock = options.clock ?? systemClock;
  const database = openDatabase(config.dbPath);
  const applied = migrate(database.db);
  if (applied > 0) logger.info({ applied, dbPath: config.dbPath }, 'database migrated');

  let shuttingDown = false;
  const entries = createEntryService({
    repository: createEntryRepository(database.db),
    cache: noEntryCache,
    clock,
  });
  const app = createApp({
    logger,
    sqlite: database.sqlite,
    entries,
    users: createUserRepository(database.db),
    passwords: createPasswordHasher({ concurrency: hashingConcurrency, ...options.passwordCost }),
    clock,
    jwtSecret: config.jwtSecret,
    jwtTtlMs: config.jwtTtlMs,
    maxBodySizeBytes: config.maxBodySizeBytes,
    requestTimeoutMs: config.requestTimeoutMs,
    isShuttingDown: () => shuttingDown,
  });

  return {
    app,
    database,
    beginShutdown: () => {
      shuttingDown = true;
    },
    close: async () => database.close(),
  };
}
