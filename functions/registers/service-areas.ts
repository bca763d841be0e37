/** The service-area register: each area's business case (policy s.3) and whether it is approved. */
import {
  approveBusinessCase,
  assessBusinessCase,
  type ServiceArea,
  submitBusinessCase,
} from '../domain/business-case.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { Principal } from '../domain/roles.js';
import type { RegistersDeps } from '../ports/registers.js';
import { readableAreas, requireReadArea, requireRegistrar } from './access.js';
import type { ServiceAreaBody } from './schema.js';

export const putServiceAreaUseCase = async (
  deps: RegistersDeps,
  principal: Principal,
  { id, body }: { id: string; body: ServiceAreaBody },
): Promise<ServiceArea> => {
  requireRegistrar(principal);
  const previous = await deps.serviceAreas.get(id);
  const businessCase = submitBusinessCase(body.businessCase, previous?.businessCase);
  const { status, missing } = assessBusinessCase(businessCase);
  const area: ServiceArea = {
    id,
    name: body.name,
    businessCase,
    status,
    missing,
    updatedAt: deps.now().toISOString(),
    updatedBy: principal.staffId,
  };
  await deps.serviceAreas.put(area);
  return area;
};

/** POST /service-areas/{id}/approve: the Director of Corporate Services approves, as themselves (s.3). */
export const approveServiceAreaUseCase = async (
  deps: RegistersDeps,
  principal: Principal,
  { id }: { id: string },
): Promise<ServiceArea> => {
  const current = await deps.serviceAreas.get(id);
  if (!current) throw new NotFoundError(`service area ${id}`);
  const businessCase = approveBusinessCase(current.businessCase, principal, deps.now());
  const { status, missing } = assessBusinessCase(businessCase);
  const area: ServiceArea = { ...current, businessCase, status, missing };
  if (!(await deps.serviceAreas.put(area, current.updatedAt))) {
    throw new ConflictError(`the business case of ${id} changed meanwhile: read it again before approving`);
  }
  return area;
};

export const getServiceAreaUseCase = async (
  deps: RegistersDeps,
  principal: Principal,
  { id }: { id: string },
): Promise<ServiceArea> => {
  requireReadArea(principal, id);
  const area = await deps.serviceAreas.get(id);
  if (!area) throw new NotFoundError(`service area ${id}`);
  return area;
};

/**
 * GET /service-areas: the register with each area's business-case state. The registrar and IG see every
 * area; staff with grants see the areas they work in (those not yet registered are left out).
 */
export const listServiceAreasUseCase = async (
  deps: RegistersDeps,
  principal: Principal,
): Promise<{ serviceAreas: readonly string[] | 'all'; items: ServiceArea[] }> => {
  const scope = readableAreas(principal);
  const items =
    scope === 'all'
      ? await deps.serviceAreas.list()
      : (await Promise.all(scope.map((id) => deps.serviceAreas.get(id)))).filter(
          (a): a is ServiceArea => a !== undefined,
        );
  return { serviceAreas: scope, items };
};
