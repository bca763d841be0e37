/**
 * A start-up problem the user can fix. `npm start` prints its message as ONE line and exits non-zero,
 * so every message names the problem and what to do about it.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

export const RESET_HINT = 'run `npm run reset` to wipe local data and start fresh';
