/** Release settings from the environment, read once at cold start. */

import { ENV } from '../../declarations/environment.js';
import { copyTtlDays } from '../domain/release.js';
import { intEnv } from '../platform/env.js';
import type { ReleaseConfig } from '../ports/release.js';

export const releaseConfigFromEnv = (): ReleaseConfig => ({
  copyTtlDays: copyTtlDays(intEnv(ENV.releaseCopyTtlDays, 30)),
  requestTtlDays: intEnv(ENV.releaseRequestTtlDays, 14),
  linkTtlSeconds: Math.min(intEnv(ENV.playbackLinkTtlSeconds, 300), 900),
  checkpointEvery: intEnv(ENV.releaseLogCheckpointEvery, 50),
});
