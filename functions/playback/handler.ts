/** The playback function: search, metadata, links, deletion, audit reads (policy s.6). */
import { awsPlaybackDeps } from './deps.js';
import { playbackRoutes } from './routes.js';

export const handler = playbackRoutes(awsPlaybackDeps());
