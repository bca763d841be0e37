/**
 * AWS SDK v3 clients, one module per service so a function's bundle imports only the SDK packages its
 * own adapters use (module loading is most of a cold start). Each client is built once per container
 * on first use. Endpoints come from the SDK's own `AWS_ENDPOINT_URL_<SERVICE>` variables, so the local
 * stack needs no code path of its own here.
 */
export const once = <T>(build: () => T): (() => T) => {
  let value: T | undefined;
  return () => {
    value ??= build();
    return value;
  };
};
