/** The release function: the s.6 release workflow and the Release of Recording Log. */
import { awsReleaseDeps } from './deps.js';
import { releaseRoutes } from './routes.js';

export const handler = releaseRoutes(awsReleaseDeps());
