/** `npm run openapi`: writes docs/openapi.json from the route table and the handlers' schemas. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { buildDocument, DOCUMENT_PATH, loadRouteTables, renderDocument } from './document.js';

const document = buildDocument(await loadRouteTables());
mkdirSync(dirname(DOCUMENT_PATH), { recursive: true });
writeFileSync(DOCUMENT_PATH, renderDocument(document));
console.log(
  `wrote ${relative(process.cwd(), DOCUMENT_PATH)} (${Object.keys(document.paths ?? {}).length} paths)`,
);
