/**
 * The OAuth scopes of the two caller classes: what a route needs of its caller's token. Declared here,
 * below both the functions (which check them) and the infrastructure (which grants them).
 */
export const INGEST_SCOPE = 'crs/ingest';
/** The scope every staff access token carries (Cognito: the staff client's resource-server scope). */
export const STAFF_SCOPE = 'crs/staff';

/** Who calls a route: people (staff) or the telephony platform's machine client. */
export const CALLER_CLASSES = ['staff', 'telephony'] as const;
export type CallerClass = (typeof CALLER_CLASSES)[number];
export const SCOPE_OF_CALLER: Readonly<Record<CallerClass, string>> = {
  staff: STAFF_SCOPE,
  telephony: INGEST_SCOPE,
};
