/**
 * Runs a function's `handler` the way Lambda would: the module of its FUNCTIONS entry imported on first
 * use (so handlers written after `npm start` are picked up), a Lambda-like context, and the declared
 * timeout. A module that does not exist yet is reported as `missing`, not as a crash.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { FUNCTIONS, type FunctionDeclaration, type FunctionId } from '../declarations/functions.js';
import { redact } from '../functions/platform/log.js';
import { ACCOUNT_ID, entryPath, REGION } from './config.js';

export type InvokeOutcome =
  | { readonly ok: true; readonly value: unknown; readonly requestId: string; readonly ms: number }
  | {
      readonly ok: false;
      readonly kind: 'missing' | 'no-handler' | 'error' | 'timeout';
      readonly message: string;
      readonly requestId: string;
      readonly ms: number;
      readonly error?: unknown;
    };

type Handler = (event: unknown, context: Context) => Promise<unknown>;

export const declarationOf = (id: FunctionId): FunctionDeclaration => {
  const found = FUNCTIONS.find((f) => f.id === id);
  if (!found) throw new Error(`unknown function ${id}`);
  return found;
};

export const lambdaContext = (fn: FunctionDeclaration, requestId: string, deadline: number): Context => {
  const name = `crs-local-${fn.id}`;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${name}`,
    memoryLimitInMB: String(fn.memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: `local/[$LATEST]${requestId.replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};

const loaded = new Map<FunctionId, Promise<Handler | undefined>>();

const load = (fn: FunctionDeclaration): Promise<Handler | undefined> => {
  let module = loaded.get(fn.id);
  if (!module) {
    module = import(pathToFileURL(entryPath(fn.entry)).href).then((m: { handler?: unknown }) =>
      typeof m.handler === 'function' ? (m.handler as Handler) : undefined,
    );
    // A failed import is not cached, so fixing the file and retrying works without a restart.
    module.catch(() => loaded.delete(fn.id));
    loaded.set(fn.id, module);
  }
  return module;
};

export const invoke = async (
  id: FunctionId,
  event: unknown,
  timeoutSeconds?: number,
): Promise<InvokeOutcome> => {
  const fn = declarationOf(id);
  const requestId = randomUUID();
  const started = Date.now();
  const ms = () => Date.now() - started;
  type Kind = Extract<InvokeOutcome, { ok: false }>['kind'];
  const failed = (kind: Kind, message: string, error?: unknown): InvokeOutcome => ({
    ok: false,
    kind,
    requestId,
    ms: ms(),
    message,
    ...(error === undefined ? {} : { error }),
  });
  if (!existsSync(entryPath(fn.entry))) return failed('missing', `${fn.entry} does not exist yet`);
  let handler: Handler | undefined;
  try {
    handler = await load(fn);
  } catch (error) {
    return failed('error', `${fn.entry} failed to load: ${String(error)}`, error);
  }
  if (!handler) return failed('no-handler', `${fn.entry} does not export a \`handler\` function`);
  const limit = (timeoutSeconds ?? fn.timeoutSeconds) * 1000;
  const deadline = started + limit;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<InvokeOutcome>((resolve) => {
    timer = setTimeout(
      () => resolve(failed('timeout', `Task timed out after ${limit / 1000} seconds`)),
      limit,
    );
  });
  const run = (async (): Promise<InvokeOutcome> => {
    try {
      const value = await handler(event, lambdaContext(fn, requestId, deadline));
      return { ok: true, value, requestId, ms: ms() };
    } catch (error) {
      return failed('error', error instanceof Error ? error.message : String(error), error);
    }
  })();
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/** One log line per failed invocation, with the stack like CloudWatch would show it. */
export const logFailure = (id: FunctionId, outcome: InvokeOutcome): void => {
  if (outcome.ok) return;
  const detail = outcome.error instanceof Error && outcome.kind === 'error' ? `\n${outcome.error.stack}` : '';
  console.error(redact(`[${id}] ${outcome.requestId} ${outcome.kind}: ${outcome.message}${detail}`));
};
