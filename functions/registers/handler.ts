/** The registers function: service areas, extensions, staff notices, /me and /health (policy s.3, s.4). */
import { awsStaffNoticesDeps } from '../staff-notices/deps.js';
import { awsRegistersDeps } from './deps.js';
import { registersRoutes } from './routes.js';

export const handler = registersRoutes(awsRegistersDeps(), awsStaffNoticesDeps());
