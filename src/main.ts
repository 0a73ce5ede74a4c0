import { healthcheck } from './cli/healthcheck.ts';
import { type Command, parseCommand, usage, version } from './cli/commands.ts';
import { describeStartupFailure } from './cli/startup-failure.ts';
import type { Config } from './config/config.ts';
import { loadConfig } from './config/load.ts';
import { EX_CONFIG, describeConfig, formatProblems } from './config/report.ts';
import { migrate } from './db/migrate.ts';
import { openDatabase } from './db/open.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { serve } from './server/serve.ts';

const EX_USAGE = 64;

async function main(args: readonly string[]): Promise<number> {
  const parsed = parseCommand(args);
  if (!parsed.ok) {
    console.error(`breakwater: ${parsed.error}\n\n${usage}`);

    return EX_USAGE;
  }

  const { command } = parsed;
  if (command === 'help') return print(usage);
  if (command === 'version') return print(version);

  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    console.error(formatProblems(loaded.problems));

    return EX_CONFIG;
  }

  return run(command, loaded.config);
}

async function run(command: Exclude<Command, 'help' | 'version'>, config: Config): Promise<number> {
  switch (command) {
    case 'check-config':
      return print(describeConfig(config));
    case 'healthcheck':
      return healthcheck(config);
    case 'migrate':
      return explainingFailure(config, async () => print(migrateOnce(config)));
    case 'serve': {
      const logger = createLogger(config);

      return explainingFailure(config, () => serve(config, logger), logger);
    }
  }
}

function migrateOnce(config: Config): string {
  const database = openDatabase(config.dbPath);
  const applied = migrate(database.db);
  database.close();

  return `applied ${applied} migration(s) to ${config.dbPath}`;
}

/** Runs `start`, turning a failure to start into one line on stderr (and the log) and a status. */
async function explainingFailure(
  config: Config,
  start: () => Promise<number>,
  logger?: Logger,
): Promise<number> {
  try {
    return await start();
  } catch (error) {
    const failure = await describeStartupFailure(error, config);
    logger?.fatal({ exitCode: failure.exitCode }, failure.message);
    console.error(`breakwater: ${failure.message}`);

    return failure.exitCode;
  }
}

function print(text: string): number {
  console.log(text);

  return 0;
}

process.exit(await main(process.argv.slice(2)));
