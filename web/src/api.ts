/** The HTTP API with the signed-in person's bearer token. Failures become a `Problem` (refusals.ts). */
import { type ApiErrorBody, type Problem, problemFrom } from './refusals';

export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.title);
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  text(path: string, accept: string): Promise<{ text: string; headers: Headers }>;
  send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

export const createApi = (baseUrl: string, token: () => Promise<string | undefined>): Api => {
  const call = async (method: string, path: string, body?: unknown, accept = 'application/json') => {
    const bearer = await token();
    let response: Response;
    try {
      response = await fetch(`${baseUrl.replace(/\/$/, '')}${path}`, {
        method,
        headers: {
          accept,
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch {
      throw new ApiProblem({
        status: 0,
        title: 'The service cannot be reached',
        detail: 'Check your connection and try again.',
      });
    }
    if (!response.ok) {
      let parsed: ApiErrorBody | undefined;
      try {
        parsed = (await response.json()) as ApiErrorBody;
      } catch {
        parsed = undefined;
      }
      throw new ApiProblem(
        problemFrom(response.status, parsed, response.headers.get('x-correlation-id') ?? undefined),
      );
    }
    return response;
  };
  return {
    get: async <T>(path: string) => (await (await call('GET', path)).json()) as T,
    text: async (path, accept) => {
      const response = await call('GET', path, undefined, accept);
      return { text: await response.text(), headers: response.headers };
    },
    send: async <T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) => {
      const response = await call(method, path, body);
      const text = await response.text();
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
};
