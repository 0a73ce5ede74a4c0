import { healthcheck } from './cli/healthcheck.ts';
import { parseCommand, usage, version } from './cli/commands.ts';
import { loadConfig } from './config/load.ts';
import { EX_CONFIG, describeConfig, formatProblems } from './config/report.ts';
import { migrate } from './db/migrate.ts';
import { openDatabase } from './db/open.ts';
import { createLogger } from './observability/logger.ts';
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

  const { config } = loaded;
  switch (command) {
    case 'check-config':
      return print(describeConfig(config));
    case 'healthcheck':
      return healthcheck(config);
    case 'migrate': {
      const database = openDatabase(config.dbPath);
      const applied = migrate(database.db);
      database.close();

      return print(`applied ${applied} migration(s) to ${config.dbPath}`);
    }
    case 'serve':
      return serve(config, createLogger(config));
  }
}

function print(text: string): number {
  console.log(text);

  return 0;
}

process.exit(await main(process.argv.slice(2)));
