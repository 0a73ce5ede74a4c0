import { describe, expect, test } from 'bun:test';
import { captureLog } from './captured-log.ts';

const secrets = {
  password: 'hunter2-top-level',
  token: 'eyJhbGciOiJIUzI1NiJ9.top.level',
  user: { password: 'hunter2-one-down', email: 'someone@example.com' },
  request: { headers: { authorization: 'Bearer eyJ.two.down', cookie: 'session=abc123' } },
  config: { jwtSecret: 'a-jwt-secret-that-is-long-enough-0123456789' },
  webhook: { secret: 'whsec_0123456789' },
};
const secretValues = [
  'hunter2-top-level',
  'eyJhbGciOiJIUzI1NiJ9.top.level',
  'hunter2-one-down',
  'Bearer eyJ.two.down',
  'session=abc123',
  'a-jwt-secret-that-is-long-enough-0123456789',
  'whsec_0123456789',
];

describe('createLogger', () => {
  test('writes JSON lines with the level as a word and the service name', () => {
    const { logger, records } = captureLog('info');
    logger.info({ entries: 3 }, 'hello');

    expect(records()).toEqual([
      expect.objectContaining({ level: 'info', service: 'breakwater', msg: 'hello', entries: 3 }),
    ]);
    expect(typeof records()[0]?.time).toBe('string');
  });

  test('drops lines below LOG_LEVEL', () => {
    const { logger, records } = captureLog('warn');
    logger.debug('debug');
    logger.info('info');
    logger.warn('warn');
    logger.error('error');

    expect(records().map((record) => record.level)).toEqual(['warn', 'error']);
  });

  test('redacts passwords, tokens, secrets, cookies and Authorization headers', () => {
    const { logger, lines, records } = captureLog();
    logger.info(secrets, 'with secrets');
    const written = lines.join('');

    for (const value of secretValues) expect(written).not.toContain(value);
    expect(records()[0]).toMatchObject({
      password: '[redacted]',
      user: { password: '[redacted]', email: 'someone@example.com' },
      request: { headers: { authorization: '[redacted]' } },
    });
  });

  test('writes readable lines for LOG_FORMAT=pretty, redacted the same way', () => {
    const { logger, lines } = captureLog('info', 'pretty');
    logger.info(secrets, 'readable line');
    logger.debug('not at this level');
    const written = lines.join('');

    expect(written).toContain('INFO');
    expect(written).toContain('readable line');
    expect(written).not.toContain('not at this level');
    expect(() => JSON.parse(lines[0] ?? '')).toThrow();
    for (const value of secretValues) expect(written).not.toContain(value);
  });
});
