/** The disclosures function: IG advice records (policy s.6) and subject access requests (DPA 2018). */
import { awsDisclosuresDeps } from './deps.js';
import { disclosuresRoutes } from './routes.js';
import { awsSarDeps } from './sar-deps.js';

export const handler = disclosuresRoutes(awsDisclosuresDeps(), awsSarDeps());
