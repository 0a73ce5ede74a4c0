import type { DeliveryAttempt } from '../webhooks/dispatcher.ts';
import { describeError } from './describe-error.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

export interface WebhookLog {
  onAttempt(attempt: DeliveryAttempt): void;
  onStoreError(error: unknown): void;
}

/**
 * The one place that turns what the webhook dispatcher reports into log lines and metrics.
 * A delivery that ran out of attempts is a warning: its receiver will not get that event.
 */
export function createWebhookLog(logger: Logger, metrics: Metrics): WebhookLog {
  const onAttempt = (attempt: DeliveryAttempt): void => {
    metrics.webhookAttempt(attempt.outcome, attempt.durationMs / 1000);
    const fields = {
      deliveryId: attempt.deliveryId,
      webhookId: attempt.webhookId,
      event: attempt.event,
      attempt: attempt.attempt,
      statusCode: attempt.statusCode,
      durationMs: attempt.durationMs,
    };
    switch (attempt.outcome) {
      case 'delivered':
        logger.debug(fields, 'webhook delivered');
        break;
      case 'retrying':
        logger.info(
          { ...fields, error: attempt.error, retryInMs: attempt.retryInMs },
          'webhook delivery failed; will retry',
        );
        break;
      case 'failed':
        logger.warn(
          { ...fields, error: attempt.error },
          'webhook delivery failed; no attempt left',
        );
        break;
    }
  };

  return {
    onAttempt,
    onStoreError(error) {
      metrics.webhookStoreError();
      logger.error(
        describeError(error),
        'webhook deliveries paused: the database failed; trying again in a few seconds',
      );
    },
  };
}
