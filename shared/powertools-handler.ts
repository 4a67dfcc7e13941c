import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { logger } from '#shared/powertools.ts';

/** A function's own handler: one event in, its answer out. */
export type EventHandler<E, R> = (event: E, context: Context) => Promise<R>;

/** What Powertools adds around the handler of a function that publishes business metrics. */
export interface LambdaHandlerOptions {
  /** Published after every invocation, its failures included (shared/powertools-metrics.ts). */
  metrics?: Metrics;
}

/**
 * A function's Lambda handler: Powertools' own decorators, applied as functions, around
 * `handler`. Every log line carries the Lambda context (function, request id, cold start); keys
 * appended during an invocation are cleared after it (`resetKeys`); a function that publishes
 * metrics flushes them after each invocation, as Powertools' middy middlewares did.
 *
 * Why not middy: `@middy/core` loads `node:stream/web` (the web streams, for response streaming
 * no function here uses) on every cold start, ~3 ms before the first line of ours runs, and
 * Powertools documents these decorators as the way to use it without middy. Measured in
 * docs/BENCHMARKS.md (`bundles`).
 */
export function lambdaHandler<E, R>(
  handler: EventHandler<E, R>,
  options: LambdaHandlerOptions = {},
): (event: E, context?: Context) => Promise<R> {
  let wrapped = handler;
  if (options.metrics) wrapped = decorate(wrapped, options.metrics.logMetrics());
  wrapped = decorate(wrapped, logger.injectLambdaContext({ resetKeys: true }));
  // Lambda always passes a context; a test or the local stack may not (as middy, an empty one).
  return (event, context) => wrapped(event, context ?? ({} as Context));
}

type Decorator = ReturnType<Metrics['logMetrics']>;

/** Applies a Powertools method decorator to a plain function. */
function decorate<E, R>(handler: EventHandler<E, R>, decorator: Decorator): EventHandler<E, R> {
  const descriptor = { value: handler } as unknown as Parameters<Decorator>[2];
  decorator({} as Parameters<Decorator>[0], 'handler', descriptor);
  return descriptor.value as unknown as EventHandler<E, R>;
}
