import { describe, expect, test } from 'bun:test';
import { parseCommand } from '../../src/cli/commands.ts';

describe('parseCommand', () => {
  test('serves when no argument is given', () => {
    expect(parseCommand([])).toEqual({ ok: true, command: 'serve' });
  });

  test.each([
    [['migrate'], 'migrate'],
    [['check-config'], 'check-config'],
    [['-v'], 'version'],
    [['--help'], 'help'],
  ] as const)('reads %p as %s', (args, command) => {
    expect(parseCommand(args)).toEqual({ ok: true, command });
  });

  test('names an unknown command', () => {
    expect(parseCommand(['no-such-command'])).toEqual({
      ok: false,
      error: "unknown command 'no-such-command'",
    });
  });

  test.each([
    [['migrate', '--dry-run'], "unexpected argument '--dry-run' after 'migrate'"],
    [['serve', '--port', '18186'], "unexpected argument '--port' after 'serve'"],
    [['--version', 'extra'], "unexpected argument 'extra' after '--version'"],
    [['check-config', '--bogus'], "unexpected argument '--bogus' after 'check-config'"],
  ])('refuses any argument after the command: %p', (args, error) => {
    expect(parseCommand(args)).toEqual({ ok: false, error });
  });
});
