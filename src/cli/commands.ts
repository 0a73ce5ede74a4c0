import packageJson from '../../package.json' with { type: 'json' };

export const version = packageJson.version;

export const usage = `breakwater ${version}: a journal API that stays fast when its dependencies fail

Usage: breakwater [command]

Commands:
  serve          run the HTTP service (the default)
  migrate        apply the embedded database migrations and exit
  check-config   print the effective configuration (secrets masked); exit 0, or 78 if invalid
  healthcheck    ask the local /health/ready; exit 0 when ready, 1 otherwise
  --version      print the version
  --help         print this help

Configuration comes from environment variables; see .env.example.
`;

export type Command = 'serve' | 'migrate' | 'check-config' | 'healthcheck' | 'version' | 'help';

export type ParsedCommand = { ok: true; command: Command } | { ok: false; error: string };

const commandsByName: Readonly<Record<string, Command>> = {
  serve: 'serve',
  migrate: 'migrate',
  'check-config': 'check-config',
  healthcheck: 'healthcheck',
  '--version': 'version',
  '-v': 'version',
  version: 'version',
  '--help': 'help',
  '-h': 'help',
  help: 'help',
};

/** Reads the one command of the command line; no command takes arguments. */
export function parseCommand(args: readonly string[]): ParsedCommand {
  const [name = 'serve', unexpected] = args;
  const command = Object.hasOwn(commandsByName, name) ? commandsByName[name] : undefined;
  if (command === undefined) return { ok: false, error: `unknown command '${name}'` };
  if (unexpected !== undefined) {
    return { ok: false, error: `unexpected argument '${unexpected}' after '${name}'` };
  }

  return { ok: true, command };
}
