/**
 * Stops the stack global-setup started (its `stop`: SIGTERM, SIGKILL if stuck, then the data directory is
 * removed unless CRS_KEEP_STACK_DATA=1). Nothing imported: jest loads this file without the project's
 * module mapping, so it cannot import the TypeScript sources; the stack carries its own `stop`.
 */
export default async function globalTeardown(): Promise<void> {
  const owned = globalThis.__CRS_LOCAL_STACK__;
  if (!owned) return;
  globalThis.__CRS_LOCAL_STACK__ = undefined;
  await owned.stop();
}
