/**
 * Structured JSON logs (one line each) — CloudWatch Logs Insights reads the fields. Every line carries
 * the invocation's context (correlation id, Lambda request id, cold-start flag) when the handler runs
 * inside `withLogContext`, and every line is scrubbed: caller numbers (E.164) and bearer tokens / JWTs
 * never reach a log, whatever a caller passes in `fields` (an error message quoting a query, say).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'aws-lambda';
import { ENV } from '../../declarations/environment.js';
import { optionalEnv } from './env.js';

type Level = 'debug' | 'info' | 'warn' | 'error';

export interface LogContext {
  readonly correlationId?: string;
  readonly requestId?: string;
  readonly coldStart?: boolean;
  readonly functionName?: string;
  /** More fields of the unit of work: an SQS message id, a scheduled job's name. */
  readonly [field: string]: unknown;
}

const context = new AsyncLocalStorage<LogContext>();
let cold = true;

/** Runs `work` with the invocation's context on every log line; the first call of a process is cold. */
export const withLogContext = <T>(fields: Omit<LogContext, 'coldStart'>, work: () => T): T => {
  const coldStart = cold;
  cold = false;
  return context.run({ ...fields, coldStart }, work);
};

/** Adds fields to every line of `work`, keeping the invocation's context (one message of a batch). */
export const withLogFields = <T>(fields: Omit<LogContext, 'coldStart'>, work: () => T): T =>
  context.run({ ...context.getStore(), ...fields }, work);

/**
 * A Lambda handler that is not an HTTP route (queue consumers, schedules, streams), run with the
 * invocation's context: the request id, the cold-start flag and a correlation id — the one the event
 * carries, else the request id (a job run's id).
 */
export const withInvocationLog =
  <E, R>(
    handler: (event: E, context: Context) => Promise<R>,
    fieldsOf: (event: E) => Omit<LogContext, 'coldStart' | 'requestId'> = () => ({}),
  ) =>
  (event: E, lambda: Context): Promise<R> =>
    withLogContext(
      {
        correlationId: lambda?.awsRequestId,
        requestId: lambda?.awsRequestId,
        functionName: lambda?.functionName,
        ...fieldsOf(event),
      },
      () => handler(event, lambda),
    );

/** E.164 numbers (a `+` and 7–15 digits, also URL-encoded) and bearer tokens / JWTs. */
const SECRETS: readonly [RegExp, string][] = [
  [/(?:\+|%2B)[1-9]\d{6,14}\b/gi, '[phone]'],
  [/\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [token]'],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[token]'],
];

export const redact = (line: string): string =>
  SECRETS.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), line);

const write = (level: Level, message: string, fields: Record<string, unknown>): void => {
  if (optionalEnv(ENV.logLevel) === 'silent') return;
  const line = JSON.stringify(
    { level, time: new Date().toISOString(), message, ...context.getStore(), ...fields },
    (_k, v) => (v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v),
  );
  if (level === 'error' || level === 'warn') console.error(redact(line));
  else console.log(redact(line));
};

export const log = {
  debug: (message: string, fields: Record<string, unknown> = {}) => write('debug', message, fields),
  info: (message: string, fields: Record<string, unknown> = {}) => write('info', message, fields),
  warn: (message: string, fields: Record<string, unknown> = {}) => write('warn', message, fields),
  error: (message: string, fields: Record<string, unknown> = {}) => write('error', message, fields),
};
