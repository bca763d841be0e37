/** Who may read and write the registers (policy s.3, s.4). */
import { ForbiddenError } from '../domain/errors.js';
import {
  AREA_GRANTS,
  areasWith,
  type CorporateRole,
  hasAnyGrant,
  hasAnyRole,
  hasRole,
  type Principal,
} from '../domain/roles.js';

export const requireRegistrar = (principal: Principal): void => {
  if (!hasRole(principal, 'registrar')) {
    throw new ForbiddenError('registers.write', 'only a registrar may change the registers');
  }
};

/** Corporate roles that read the registers of every service area. */
export const REGISTER_CORPORATE_READERS: readonly CorporateRole[] = ['registrar', 'ig-officer'];

/** Registrars, IG officers, and staff holding any grant in the service area may read its entries. */
export const mayReadArea = (principal: Principal, serviceArea: string): boolean =>
  hasAnyRole(principal, REGISTER_CORPORATE_READERS) || hasAnyGrant(principal, serviceArea, AREA_GRANTS);

/**
 * Which service areas a person may list: `all` for the registrar and IG officers, else the areas they
 * hold a grant in (the same rule as reading one entry). Nobody else has a register to list.
 */
export const readableAreas = (principal: Principal): readonly string[] | 'all' => {
  if (hasAnyRole(principal, REGISTER_CORPORATE_READERS)) return 'all';
  const own = areasWith(principal, AREA_GRANTS).sort();
  if (own.length === 0) {
    throw new ForbiddenError(
      'registers.read',
      'listing the service areas needs the registrar or IG officer role, or a grant in a service area',
    );
  }
  return own;
};

export const requireReadArea = (principal: Principal, serviceArea: string): void => {
  if (!mayReadArea(principal, serviceArea)) {
    throw new ForbiddenError(
      'registers.read',
      `reading the registers of ${serviceArea} needs the registrar or IG officer role, or a grant in that area`,
    );
  }
};
