export interface ErrorFields {
  error?: string;
  errorCode?: string;
}

/**
 * An error's message and stable code, without its stack, for lines that may repeat many times
 * (an outage, a burst of failing requests). Messages in this service carry no secrets.
 */
export function describeError(error: unknown): ErrorFields {
  if (error === undefined) return {};
  if (!(error instanceof Error)) return { error: String(error) };

  const code = (error as { code?: unknown }).code;

  if (typeof code !== 'string') return { error: error.message };

  return { error: error.message, errorCode: code };
}
