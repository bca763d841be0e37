/** The extension register (policy s.4 d–e): recorded extensions, their marking and confidential pairs. */
import { trackExtension } from '../adapters/counters.js';
import { getExtension, getServiceArea, putExtension } from '../adapters/registers-store.js';
import { ForbiddenError, NotFoundError, PolicyRefusalError } from '../domain/errors.js';
import { checkExtension, type Extension } from '../domain/extension.js';
import type { Principal } from '../domain/roles.js';
import { mayReadArea, requireRegistrar } from './access.js';
import type { ExtensionBody } from './schema.js';

export const putExtensionUseCase = async (
  number: string,
  body: ExtensionBody,
  principal: Principal,
  now = new Date(),
): Promise<Extension> => {
  requireRegistrar(principal);
  const [area, previous, paired] = await Promise.all([
    getServiceArea(body.serviceArea),
    getExtension(number),
    body.pairedUnrecorded ? getExtension(body.pairedUnrecorded) : Promise.resolve(undefined),
  ]);
  if (!area) {
    throw new PolicyRefusalError(
      's3.business-case',
      `service area ${body.serviceArea} is not registered; register it (PUT /service-areas/${body.serviceArea}) first`,
    );
  }
  const proposal = { number, ...body };
  checkExtension(proposal, paired);
  const extension: Extension = { ...proposal, updatedAt: now.toISOString(), updatedBy: principal.staffId };
  await putExtension(extension);
  // The compliance report's per-area extension list (s.4 d–e), moved when the area changed.
  await trackExtension(extension.serviceArea, proposal, previous?.serviceArea);
  return extension;
};

export const getExtensionUseCase = async (number: string, principal: Principal): Promise<Extension> => {
  const extension = await getExtension(number);
  const allowed = extension
    ? mayReadArea(principal, extension.serviceArea)
    : mayReadArea(principal, '\u0000no-area');
  if (!allowed) {
    throw new ForbiddenError(
      'registers.read',
      'reading an extension needs the registrar or IG officer role, or a grant in its service area',
    );
  }
  if (!extension) throw new NotFoundError(`extension ${number}`);
  return extension;
};
