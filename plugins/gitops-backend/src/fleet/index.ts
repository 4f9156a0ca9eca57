export { createFleet } from './createFleet';
export { createFleetReadSide } from './fleetReadSide';
export type { FleetReadSideOptions } from './fleetReadSide';
