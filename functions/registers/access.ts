/** Who may read and write the registers (policy s.3, s.4). */
import { ForbiddenError } from '../domain/errors.js';
import { AREA_GRANTS, hasAnyGrant, hasAnyRole, hasRole, type Principal } from '../domain/roles.js';

export const requireRegistrar = (principal: Principal): void => {
  if (!hasRole(principal, 'registrar')) {
    throw new ForbiddenError('registers.write', 'only a registrar may change the registers');
  }
};

/** Registrars, IG officers, and staff holding any grant in the service area may read its entries. */
export const mayReadArea = (principal: Principal, serviceArea: string): boolean =>
  hasAnyRole(principal, ['registrar', 'ig-officer']) || hasAnyGrant(principal, serviceArea, AREA_GRANTS);

export const requireReadArea = (principal: Principal, serviceArea: string): void => {
  if (!mayReadArea(principal, serviceArea)) {
    throw new ForbiddenError(
      'registers.read',
      `reading the registers of ${serviceArea} needs the registrar or IG officer role, or a grant in that area`,
    );
  }
};
