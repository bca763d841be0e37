/**
 * In-memory stand-ins for the register ports (functions/ports/registers.ts), with the adapters'
 * semantics: a service-area write with an expected version lands only over that version; an extension
 * moved to another area leaves its old area's list; an area's list pages by number with a cursor that
 * continues that area only. What the DynamoDB adapters send is proved against DynamoDB Local
 * (test/integration/stores.test.ts), not here.
 */
import type { ServiceArea } from '../../../functions/domain/business-case.js';
import type { ExtensionSummary } from '../../../functions/domain/compliance.js';
import { ValidationError } from '../../../functions/domain/errors.js';
import type { Extension } from '../../../functions/domain/extension.js';
import type { RegistersDeps } from '../../../functions/ports/registers.js';
import { registersRoutes } from '../../../functions/registers/routes.js';
import { staffNoticesWorld } from '../staff-notices/fakes.js';

export interface RegistersWorld {
  readonly deps: RegistersDeps;
  readonly handler: ReturnType<typeof registersRoutes>;
  readonly areas: Map<string, ServiceArea>;
  readonly extensions: Map<string, Extension>;
  /** Each area's extension list: area → number → summary. */
  readonly areaLists: Map<string, Map<string, ExtensionSummary>>;
  /** Every port call, as `port.method`, in order. */
  readonly calls: string[];
  /** Register writes (service areas, extensions, list entries) that landed. */
  writes: number;
  /** Runs just before a conditional service-area write (e.g. the registrar changing it meanwhile). */
  beforeConditionalPut?: (id: string) => void;
}

const cursorOf = (area: string, after: string) =>
  Buffer.from(JSON.stringify({ area, after }), 'utf8').toString('base64url');

const afterOf = (cursor: string, area: string): string => {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      area?: unknown;
      after?: unknown;
    };
    if (c.area === area && typeof c.after === 'string') return c.after;
  } catch {
    // answered below
  }
  throw new ValidationError('query.cursor', 'a cursor returned by the previous page of this same query');
};

export const registersWorld = (options: { now?: () => Date } = {}): RegistersWorld => {
  const world = {
    areas: new Map<string, ServiceArea>(),
    extensions: new Map<string, Extension>(),
    areaLists: new Map<string, Map<string, ExtensionSummary>>(),
    calls: [] as string[],
    writes: 0,
  } as Omit<RegistersWorld, 'deps' | 'handler'> & { deps?: RegistersDeps; handler?: unknown };
  const listOf = (area: string) => {
    const list = world.areaLists.get(area) ?? new Map<string, ExtensionSummary>();
    world.areaLists.set(area, list);
    return list;
  };
  const deps: RegistersDeps = {
    serviceAreas: {
      get: async (id) => {
        world.calls.push('serviceAreas.get');
        const area = world.areas.get(id);
        return area && structuredClone(area);
      },
      put: async (area, expectedUpdatedAt) => {
        world.calls.push('serviceAreas.put');
        if (expectedUpdatedAt !== undefined) {
          (world as RegistersWorld).beforeConditionalPut?.(area.id);
          if (world.areas.get(area.id)?.updatedAt !== expectedUpdatedAt) return false;
        }
        world.areas.set(area.id, structuredClone(area));
        world.writes += 1;
        return true;
      },
      list: async () => {
        world.calls.push('serviceAreas.list');
        return [...world.areas.values()]
          .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
          .map((a) => structuredClone(a));
      },
    },
    extensions: {
      get: async (number) => {
        world.calls.push('extensions.get');
        const extension = world.extensions.get(number);
        return extension && structuredClone(extension);
      },
      put: async (extension) => {
        world.calls.push('extensions.put');
        world.extensions.set(extension.number, structuredClone(extension));
        world.writes += 1;
      },
    },
    areaExtensions: {
      track: async (serviceArea, e, previousArea) => {
        world.calls.push('areaExtensions.track');
        listOf(serviceArea).set(e.number, {
          number: e.number,
          mode: e.mode,
          marked: e.marked,
          ...(e.pairedUnrecorded ? { pairedUnrecorded: e.pairedUnrecorded } : {}),
        });
        if (previousArea && previousArea !== serviceArea) listOf(previousArea).delete(e.number);
        world.writes += 1;
      },
      page: async (serviceArea, limit, cursor) => {
        const after = cursor === undefined ? undefined : afterOf(cursor, serviceArea);
        world.calls.push('areaExtensions.page');
        const all = [...listOf(serviceArea).values()]
          .filter((e) => after === undefined || e.number > after)
          .sort((a, b) => (a.number < b.number ? -1 : 1));
        const items = all.slice(0, limit).map((e) => structuredClone(e));
        const last = items.at(-1);
        return {
          items,
          ...(all.length > limit && last ? { cursor: cursorOf(serviceArea, last.number) } : {}),
        };
      },
    },
    now: options.now ?? (() => new Date()),
  };
  world.deps = deps;
  world.handler = registersRoutes(deps, staffNoticesWorld().deps);
  return world as RegistersWorld;
};
