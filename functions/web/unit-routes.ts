import { htmlResponse, jsonResponse } from '#functions/http/responses.ts';
import { unitHistory } from '#shared/units/unit-history.ts';
import { listUnits } from '#shared/units/units.ts';
import type { SignedInHandlers } from './admin-context.ts';
import { renderUnitHistory } from './admin-pages.ts';

/** The committee's units ("Đơn vị"): one unit's record across plans and years, the list as JSON. */
export const UNIT_HANDLERS = {
  unit: async ({ unitId }, { deps, page }) =>
    htmlResponse(200, renderUnitHistory(await unitHistory(deps.core, unitId), page)),
  apiUnits: async (_, { deps }) => jsonResponse(200, { units: await listUnits(deps.core) }),
  apiUnit: async ({ unitId }, { deps }) => jsonResponse(200, await unitHistory(deps.core, unitId)),
} satisfies SignedInHandlers<'unit' | 'apiUnits' | 'apiUnit'>;
