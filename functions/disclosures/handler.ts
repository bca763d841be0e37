/** The disclosures function: IG advice records (policy s.6). */
import { awsDisclosuresDeps } from './deps.js';
import { disclosuresRoutes } from './routes.js';

export const handler = disclosuresRoutes(awsDisclosuresDeps());
