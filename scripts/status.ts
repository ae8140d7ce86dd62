// Placeholder until the cluster view issue lands.
import { unavailable } from './lib/unavailable.ts';

export const main = unavailable('status', 'cluster view issue');
