/** The extension register (policy s.4 d–e): recorded extensions, their marking and confidential pairs. */
import type { ExtensionSummary } from '../domain/compliance.js';
import { ForbiddenError, NotFoundError, PolicyRefusalError } from '../domain/errors.js';
import { checkExtension, type Extension } from '../domain/extension.js';
import type { Principal } from '../domain/roles.js';
import type { RegistersDeps } from '../ports/registers.js';
import { mayReadArea, requireReadArea, requireRegistrar } from './access.js';
import type { ExtensionBody, ExtensionListQuery } from './schema.js';

export const putExtensionUseCase = async (
  deps: RegistersDeps,
  principal: Principal,
  { number, body }: { number: string; body: ExtensionBody },
): Promise<Extension> => {
  requireRegistrar(principal);
  const [area, previous, paired] = await Promise.all([
    deps.serviceAreas.get(body.serviceArea),
    deps.extensions.get(number),
    body.pairedUnrecorded ? deps.extensions.get(body.pairedUnrecorded) : Promise.resolve(undefined),
  ]);
  if (!area) {
    throw new PolicyRefusalError(
      's3.business-case',
      `service area ${body.serviceArea} is not registered; register it (PUT /service-areas/${body.serviceArea}) first`,
    );
  }
  const proposal = { number, ...body };
  checkExtension(proposal, paired);
  const extension: Extension = {
    ...proposal,
    updatedAt: deps.now().toISOString(),
    updatedBy: principal.staffId,
  };
  await deps.extensions.put(extension);
  // The per-area extension list (GET /extensions, the compliance report), moved when the area changed.
  await deps.areaExtensions.track(extension.serviceArea, proposal, previous?.serviceArea);
  return extension;
};

export const getExtensionUseCase = async (
  deps: RegistersDeps,
  principal: Principal,
  { number }: { number: string },
): Promise<Extension> => {
  const extension = await deps.extensions.get(number);
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

/**
 * GET /extensions?serviceArea=…: the area's recorded-extensions register (s.4 d–e), by number, a page at
 * a time. Authorised before anything is read, so an unknown area tells an outsider nothing.
 */
export const listExtensionsUseCase = async (
  deps: RegistersDeps,
  principal: Principal,
  query: ExtensionListQuery,
): Promise<{ serviceArea: string; items: ExtensionSummary[]; cursor?: string }> => {
  requireReadArea(principal, query.serviceArea);
  const [area, page] = await Promise.all([
    deps.serviceAreas.get(query.serviceArea),
    deps.areaExtensions.page(query.serviceArea, query.limit, query.cursor),
  ]);
  if (!area) throw new NotFoundError(`service area ${query.serviceArea}`);
  return { serviceArea: query.serviceArea, ...page };
};
