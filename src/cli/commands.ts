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

export function parseCommand(args: readonly string[]): Command | { unknown: string } {
  const [first = 'serve'] = args;
  switch (first) {
    case 'serve':
    case 'migrate':
    case 'check-config':
    case 'healthcheck':
      return first;
    case '--version':
    case '-v':
    case 'version':
      return 'version';
    case '--help':
    case '-h':
    case 'help':
      return 'help';
    default:
      return { unknown: first };
  }
}
