/** The service-area register: each area's business case (policy s.3) and whether it is approved. */
import { getServiceArea, putServiceArea } from '../adapters/registers-store.js';
import { assessBusinessCase, type ServiceArea } from '../domain/business-case.js';
import { NotFoundError } from '../domain/errors.js';
import type { Principal } from '../domain/roles.js';
import { requireReadArea, requireRegistrar } from './access.js';
import type { ServiceAreaBody } from './schema.js';

export const putServiceAreaUseCase = async (
  id: string,
  body: ServiceAreaBody,
  principal: Principal,
  now = new Date(),
): Promise<ServiceArea> => {
  requireRegistrar(principal);
  const { status, missing } = assessBusinessCase(body.businessCase);
  const area: ServiceArea = {
    id,
    name: body.name,
    businessCase: body.businessCase,
    status,
    missing,
    updatedAt: now.toISOString(),
    updatedBy: principal.staffId,
  };
  await putServiceArea(area);
  return area;
};

export const getServiceAreaUseCase = async (id: string, principal: Principal): Promise<ServiceArea> => {
  requireReadArea(principal, id);
  const area = await getServiceArea(id);
  if (!area) throw new NotFoundError(`service area ${id}`);
  return area;
};
